import type { FieldError } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';

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
