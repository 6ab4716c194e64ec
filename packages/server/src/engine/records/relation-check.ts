import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { accessColumns, isReadableRow } from './record-access.ts';

export interface RelationReference {
  path: string;
  fieldName: string;
  ids: string[];
}

/**
 * Checks that every referenced record (relations) and user (owner fields) exists and is live,
 * with one query per target, so a batch of a thousand costs a handful of queries.
 */
export const checkReferences = async (options: {
  trx: Db;
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  references: RelationReference[];
}): Promise<FieldError[]> => {
  const { trx, workspace, object, references } = options;
  const byTarget = new Map<string, Set<string>>();
  for (const reference of references) {
    const field = object.fieldsByName.get(reference.fieldName)!;
    const target = field.type === 'owner' ? '@user' : (field.options?.target ?? '');
    const ids = byTarget.get(target) ?? new Set<string>();
    reference.ids.forEach((id) => ids.add(id));
    byTarget.set(target, ids);
  }
  const found = new Map<string, Set<string>>();
  for (const [target, ids] of byTarget) {
    if (ids.size === 0) continue;
    const list = [...ids];
    const { rows } =
      target === '@user'
        ? await sql<{ id: string }>`select user_id as id from rapport.workspace_member where workspace_id = ${workspace.id} and user_id = any(${list}::uuid[])`.execute(trx)
        : await sql<{ id: string }>`select id from ${sql.id(workspace.schema, workspace.objects.get(target)!.table)} where id = any(${list}::uuid[]) and deleted_at is null`.execute(trx);
    found.set(target, new Set(rows.map((row) => row.id)));
  }
  const errors: FieldError[] = [];
  for (const reference of references) {
    const field = object.fieldsByName.get(reference.fieldName)!;
    const target = field.type === 'owner' ? '@user' : (field.options?.target ?? '');
    const missing = reference.ids.filter((id) => !found.get(target)?.has(id));
    if (missing.length === 0) continue;
    const what = field.type === 'owner' ? 'user of this workspace' : `${field.options?.target} record`;
    errors.push({
      field: reference.path,
      code: 'relationNotFound',
      message: `No ${what} with id ${missing.join(', ')}${field.type === 'relation' && relationKind(field) === 'manyToOne' ? '' : ''}.`,
    });
  }
  return errors;
};

/** A `reference` value to check: the record it names, at `path`. */
export interface RecordReferenceCheck {
  path: string;
  object: string;
  id: string;
}

/**
 * Checks that each referenced record (reference fields: any object) exists, is live and is readable by the writer:
 * a record they may not see, or an object they may not read, is "not found", so a write cannot probe for hidden
 * records. One query per object named.
 */
export const checkRecordReferences = async (options: { trx: Db; workspace: WorkspaceMeta; access: Access; references: RecordReferenceCheck[] }): Promise<FieldError[]> => {
  const { trx, workspace, access, references } = options;
  const errors: FieldError[] = [];
  const byObject = new Map<string, RecordReferenceCheck[]>();
  for (const reference of references) {
    if (!workspace.objects.has(reference.object) || !access.can(reference.object, 'read')) {
      errors.push({ field: reference.path, code: 'relationNotFound', message: `There is no object "${reference.object}".` });
      continue;
    }
    byObject.set(reference.object, [...(byObject.get(reference.object) ?? []), reference]);
  }
  for (const [objectName, entries] of byObject) {
    const target = workspace.objects.get(objectName)!;
    const ids = [...new Set(entries.map((entry) => entry.id))];
    const { rows } = await sql<Record<string, unknown>>`
      select t.id ${accessColumns(access, target, 't')} from ${sql.id(workspace.schema, target.table)} t
      where t.id = any(${ids}::uuid[]) and t.deleted_at is null`.execute(trx);
    const readable = new Set(rows.filter(isReadableRow).map((row) => String(row.id)));
    for (const entry of entries) {
      if (!readable.has(entry.id)) errors.push({ field: entry.path, code: 'relationNotFound', message: `No ${objectName} record with id ${entry.id}.` });
    }
  }
  return errors;
};

/** The live relations whose `restrict` keeps a record of `object` from being purged while they point at it. */
const restrictingRelations = (workspace: WorkspaceMeta, object: ObjectMeta) =>
  [...workspace.objects.values()].flatMap((source) =>
    source.fields
      .filter((field) => field.type === 'relation' && relationKind(field) === 'manyToOne' && field.options?.target === object.name && field.options?.onDelete === 'restrict')
      .map((field) => ({ source, field })),
  );

/**
 * Refuses to move a record to the trash while live records point at it through a `restrict` relation:
 * the purge could never remove it. The problem names the referring objects and how many records refer,
 * never which ones (they may be hidden from the caller).
 */
export const assertNotRestricted = async (options: { trx: Db; workspace: WorkspaceMeta; object: ObjectMeta; id: string }): Promise<void> => {
  const { trx, workspace, object, id } = options;
  const relations = restrictingRelations(workspace, object);
  if (relations.length === 0) return;
  const counts = relations.map(
    ({ source, field }, index) =>
      sql`select ${index}::int as relation, count(*)::int as n from ${sql.id(workspace.schema, source.table)}
        where ${sql.id(field.column)} = ${id} and deleted_at is null and id <> ${id}`,
  );
  const { rows } = await sql<{ relation: number; n: number }>`${sql.join(counts, sql` union all `)}`.execute(trx);
  const referring = rows.filter((row) => row.n > 0).map((row) => ({ ...relations[row.relation]!, n: row.n }));
  if (referring.length === 0) return;
  const list = referring.map(({ source, field, n }) => `${n} ${source.name} record${n === 1 ? '' : 's'} (${field.name})`).join(', ');
  throw new AppError('RECORD_REFERENCED', `The ${object.name} ${id} cannot go to the trash: ${list} still refer to it through a relation that restricts deletion. Change or delete them first.`);
};
