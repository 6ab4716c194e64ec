import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import { isStoredField } from '../records/record-shape.ts';

export interface Follower {
  userId: string;
  /** The fields whose changes the follower hears about; null for any change. */
  fields: string[] | null;
  createdAt: string;
}

interface FollowerRow {
  user_id: string;
  fields: string[] | null;
  created_at: string;
}

const toFollower = (row: FollowerRow): Follower => ({ userId: row.user_id, fields: row.fields, createdAt: row.created_at });

/** The fields of `object` a follower may choose: stored fields a person writes (not system fields, not formulas). */
export const followableFields = (object: ObjectMeta): string[] => object.fields.filter((field) => !field.isSystem && isStoredField(field) && field.type !== 'formula').map((field) => field.name);

/** Checks a follower's chosen fields: known, followable, each once; an empty list is refused (unfollow instead). */
export const checkFollowedFields = (object: ObjectMeta, fields: unknown): string[] | null => {
  if (fields === null || fields === undefined) return null;
  const allowed = new Set(followableFields(object));
  if (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== 'string' || !allowed.has(field))) {
    throw new AppError('VALIDATION_FAILED', 'fields is null (any change) or a non-empty list of the fields to hear about.', {
      errors: [{ field: 'fields', code: 'invalidFields', message: `Choose among: ${[...allowed].join(', ')}.` }],
    });
  }
  return [...new Set(fields as string[])];
};

export const listFollowers = async (db: Db, options: { workspaceId: string; object: string; recordId: string }): Promise<Follower[]> => {
  const { rows } = await sql<FollowerRow>`
    select user_id, fields, created_at from rapport.record_follower
    where workspace_id = ${options.workspaceId} and object = ${options.object} and record_id = ${options.recordId}
    order by created_at, user_id`.execute(db);
  return rows.map(toFollower);
};

/** Follows a record (or changes which fields one hears about); following twice keeps one row. */
export const follow = async (db: Db, options: { workspaceId: string; object: string; recordId: string; userId: string; fields: string[] | null }): Promise<Follower> => {
  const { rows } = await sql<FollowerRow>`
    insert into rapport.record_follower (workspace_id, object, record_id, user_id, fields)
    values (${options.workspaceId}, ${options.object}, ${options.recordId}, ${options.userId}, ${options.fields})
    on conflict (workspace_id, object, record_id, user_id) do update set fields = excluded.fields
    returning user_id, fields, created_at`.execute(db);
  return toFollower(rows[0]!);
};

export const unfollow = async (db: Db, options: { workspaceId: string; object: string; recordId: string; userId: string }): Promise<boolean> => {
  const { rows } = await sql<{ user_id: string }>`
    delete from rapport.record_follower
    where workspace_id = ${options.workspaceId} and object = ${options.object} and record_id = ${options.recordId} and user_id = ${options.userId}
    returning user_id`.execute(db);
  return rows.length > 0;
};

/** The followers of the records of a batch of events, by record id, in one query. */
export const followersOfRecords = async (db: Db, workspaceId: string, records: { object: string; recordId: string }[]): Promise<Map<string, Follower[]>> => {
  const byRecord = new Map<string, Follower[]>();
  if (records.length === 0) return byRecord;
  const ids = [...new Set(records.map((record) => record.recordId))];
  const { rows } = await sql<FollowerRow & { object: string; record_id: string }>`
    select object, record_id, user_id, fields, created_at from rapport.record_follower
    where workspace_id = ${workspaceId} and record_id = any(${ids}::uuid[])`.execute(db);
  for (const row of rows) {
    const key = `${row.object}:${row.record_id}`;
    byRecord.set(key, [...(byRecord.get(key) ?? []), toFollower(row)]);
  }
  return byRecord;
};

/** The changed fields a follower hears about: those they chose (all when they chose none) that changed. */
export const followedChanges = (follower: Pick<Follower, 'fields'>, changedFields: readonly string[]): string[] =>
  follower.fields === null ? [...changedFields] : changedFields.filter((field) => follower.fields!.includes(field));
