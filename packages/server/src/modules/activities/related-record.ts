import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { BehaviourContext, RecordBehaviour, RecordInWrite } from '../../engine/records/record-behaviours.ts';
import { accessColumns, isReadableRow } from '../../engine/records/record-access.ts';
import { isUuid } from '../../engine/fields/types/relation.field.ts';
import { ACTIVITY_TARGETS } from './task.object.ts';

export interface RelatedRecord {
  object: string;
  id: string;
}

/** A json field's value as a write sees it: the API value, or its JSON text once converted for the column. */
export const jsonValueOf = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
};

/** `{object, id}` when `value` is one, else undefined. */
export const asRelated = (given: unknown): RelatedRecord | undefined => {
  const value = jsonValueOf(given);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { object, id } = value as Record<string, unknown>;
  return typeof object === 'string' && isUuid(id) && Object.keys(value).length === 2 ? { object, id: id.toLowerCase() } : undefined;
};

/** The typed links of `objectName` an activity of this object carries (person, company, opportunity). */
const typedLinks = (context: BehaviourContext) => ACTIVITY_TARGETS.filter((target) => context.object.fieldsByName.get(target)?.options?.target === target);

/**
 * `related` (any record, `{object, id}`) and the typed links (person, company, opportunity) tell the same thing:
 * - `related` given: it must name a live record the writer may read; its typed link, when the activity has one and
 *   it was not given, is set to it;
 * - a typed link given (and `related` not): `related` follows it when it was empty or pointed at the link's old value.
 */
export const relatedRules = (object: string): RecordBehaviour => ({
  object,
  async beforeWrite(context, records) {
    const errors: FieldError[] = [];
    const links = typedLinks(context);
    const toCheck = new Map<string, { record: RecordInWrite; related: RelatedRecord }[]>();
    for (const record of records) {
      if (record.isGiven('related') && record.after.related !== null && record.after.related !== undefined) {
        const related = asRelated(record.after.related);
        if (!related) {
          errors.push({ field: `${record.path}related`, code: 'invalidRelated', message: 'Expected {"object": "<object name>", "id": "<record id>"}.' });
          continue;
        }
        if (!context.workspace.objects.has(related.object) || !context.access.can(related.object, 'read')) {
          errors.push({ field: `${record.path}related`, code: 'invalidRelated', message: `There is no object "${related.object}".` });
          continue;
        }
        toCheck.set(related.object, [...(toCheck.get(related.object) ?? []), { record, related }]);
        record.set('related', related);
        const link = links.find((target) => target === related.object);
        if (link && !record.isGiven(link)) record.set(link, related.id);
        continue;
      }
      if (record.isGiven('related')) continue;
      const current = asRelated(record.after.related);
      for (const link of links) {
        if (!record.isGiven(link)) continue;
        const value = record.after[link];
        const wasFollowing = !current || (current.object === link && current.id === record.before?.[link]);
        if (wasFollowing) {
          record.set('related', typeof value === 'string' ? { object: link, id: value } : null);
          break;
        }
      }
    }
    for (const [objectName, entries] of toCheck) {
      const target = context.workspace.objects.get(objectName)!;
      const ids = [...new Set(entries.map((entry) => entry.related.id))];
      const { rows } = await sql<Record<string, unknown>>`
        select t.id ${accessColumns(context.access, target, 't')} from ${sql.id(context.workspace.schema, target.table)} t
        where t.id = any(${ids}::uuid[]) and t.deleted_at is null`.execute(context.trx);
      const readable = new Set(rows.filter(isReadableRow).map((row) => String(row.id)));
      for (const { record, related } of entries) {
        if (!readable.has(related.id)) errors.push({ field: `${record.path}related`, code: 'relationNotFound', message: `No ${objectName} record with id ${related.id}.` });
      }
    }
    return errors;
  },
});
