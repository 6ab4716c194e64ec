import { sql, type RawBuilder } from 'kysely';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';

/** `"schema"."table"` of an object's records. */
export const tableOf = (workspace: WorkspaceMeta, object: ObjectMeta): RawBuilder<unknown> => sql.id(workspace.schema, object.table);

/** `"alias"."column"`. */
export const columnOf = (alias: string, column: string): RawBuilder<unknown> => sql.id(alias, column);

/** Live or trashed rows; written `deleted_at is null` so the partial indexes apply. */
export const deletedCondition = (alias: string, isDeleted = false): RawBuilder<unknown> =>
  isDeleted ? sql`${columnOf(alias, 'deleted_at')} is not null` : sql`${columnOf(alias, 'deleted_at')} is null`;

/** The row is a member of the static segment `segmentId` (engine/segments). */
export const segmentMemberCondition = (alias: string, segmentId: string): RawBuilder<unknown> =>
  sql`${columnOf(alias, 'id')} in (select record_id from rapport.segment_member where segment_id = ${segmentId})`;

export const joinWith = (parts: readonly RawBuilder<unknown>[], separator: 'and' | 'or'): RawBuilder<unknown> => {
  if (parts.length === 1 && parts[0]) return parts[0];
  return sql`(${sql.join(parts, separator === 'and' ? sql` and ` : sql` or `)})`;
};

/** Aliases for subqueries and joins, never equal to the outer alias they correlate with. */
export const createAliasSource = (prefix: string, reserved: string): (() => string) => {
  let next = 1;
  return () => {
    let alias = `${prefix}${next++}`;
    while (alias === reserved) alias = `${prefix}${next++}`;
    return alias;
  };
};
