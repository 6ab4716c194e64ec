import { sql } from 'kysely';
import type { StandardObject } from '../../engine/metadata/standard-objects.ts';
import { deleteField, retireStandardField } from '../../engine/metadata/metadata.service.ts';
import { referenceColumns } from '../../engine/fields/types/reference.field.ts';
import { ACTIVITY_TARGETS } from './task.object.ts';

const LEGACY = 'legacyRelated';
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * Workspaces made before the `reference` field type kept an activity's `related` as JSON, which could not be
 * filtered. Before the upgrade adds `related` as a reference, the JSON field moves aside (as `legacyRelated`);
 * after it, its `{object, id}` values are copied into the reference's two columns (and records older than `related`
 * get it from their typed links), and the JSON field goes to the trash (restorable for 30 days). A few statements per
 * object, without history: the values say what the record already said.
 */
export const relatedUpgrade = (objectName: string): NonNullable<StandardObject['upgrade']> => ({
  async before(change, workspace) {
    const related = workspace.objects.get(objectName)?.fieldsByName.get('related');
    if (!related || related.type !== 'json') return [];
    await retireStandardField({ ...change, objectName, fieldName: 'related', newName: LEGACY, newLabel: 'Related to (before references)' });
    return [`${objectName}.related (JSON) moved aside as ${objectName}.${LEGACY}`];
  },
  async after(change, workspace) {
    const object = workspace.objects.get(objectName);
    const legacy = object?.fieldsByName.get(LEGACY);
    const related = object?.fieldsByName.get('related');
    if (!object || !legacy || legacy.type !== 'json' || related?.type !== 'reference') return [];
    const columns = referenceColumns(related);
    const value = sql.ref(legacy.column);
    const { numAffectedRows } = await sql`
      update ${sql.id(workspace.schema, object.table)}
      set ${sql.id(columns.object)} = ${value}->>'object', ${sql.id(columns.id)} = (${value}->>'id')::uuid
      where ${sql.id(columns.id)} is null and jsonb_typeof(${value}) = 'object' and ${value}->>'object' is not null
        and coalesce(${value}->>'id', '') ~ ${UUID}`.execute(change.db);
    // Records written before `related` existed name what they are about only by their typed links: the first one
    // set (person, company, deal), as the write path takes it.
    let filled = 0;
    for (const target of ACTIVITY_TARGETS) {
      const link = object.fieldsByName.get(target);
      if (link?.type !== 'relation' || link.options?.target !== target) continue;
      const result = await sql`
        update ${sql.id(workspace.schema, object.table)} set ${sql.id(columns.object)} = ${target}, ${sql.id(columns.id)} = ${sql.ref(link.column)}
        where ${sql.id(columns.id)} is null and ${sql.ref(link.column)} is not null`.execute(change.db);
      filled += Number(result.numAffectedRows ?? 0);
    }
    await deleteField({ ...change, objectName, fieldName: LEGACY });
    return [
      `${Number(numAffectedRows ?? 0)} ${objectName} records' related copied into the reference`,
      `${filled} ${objectName} records' related taken from their typed links`,
      `${objectName}.${LEGACY} moved to the trash`,
    ];
  },
});
