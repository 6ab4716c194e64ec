import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

export interface AuditLogEntry {
  id: number;
  at: string;
  actorId: string | null;
  action: string;
  objectName: string | null;
  recordId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  /** A workspace's entries, or null for the instance-level scope (entries that belong to no workspace). */
  workspaceId: string | null;
  /** An exact action (`auth.sign_in.failed`) or a prefix ending in a dot or `*` (`auth.`, `auth.*`). */
  action?: string;
  /** The acting user. */
  userId?: string;
  /** Inclusive lower and exclusive upper bound of `at`, ISO 8601. */
  from?: string;
  to?: string;
}

export interface ListAuditOptions extends AuditFilter {
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  data: AuditLogEntry[];
  pageInfo: { nextCursor: string | null; hasNextPage: boolean };
}

interface AuditRow {
  id: number;
  at: string;
  actor_id: string | null;
  action: string;
  object_name: string | null;
  record_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

const toEntry = (row: AuditRow): AuditLogEntry => ({
  id: row.id,
  at: row.at,
  actorId: row.actor_id,
  action: row.action,
  objectName: row.object_name,
  recordId: row.record_id,
  ip: row.ip,
  userAgent: row.user_agent,
  details: row.details,
});

// The cursor is the last id seen; ids grow with time, so "older than the cursor" is the next page.
const encodeCursor = (id: number) => Buffer.from(JSON.stringify({ before: id })).toString('base64url');

const decodeCursor = (cursor: string): number => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof parsed.before === 'number' && Number.isSafeInteger(parsed.before) && parsed.before > 0) return parsed.before;
  } catch {
    // Falls through to the problem below.
  }
  throw new AppError('INVALID_CURSOR', 'The cursor is not one this endpoint returned; start again without it.', {
    errors: [{ field: 'cursor', code: 'invalidFormat', message: 'Use pageInfo.nextCursor of the previous page.' }],
  });
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

const parseInstant = (value: string, field: 'from' | 'to'): string => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new AppError('INVALID_REQUEST', `"${field}" must be an ISO 8601 date or timestamp, e.g. 2025-03-04T09:00:00Z.`, {
      errors: [{ field, code: 'invalidDate', message: 'An ISO 8601 date or timestamp.' }],
    });
  }
  return new Date(time).toISOString();
};

const conditions = (filter: AuditFilter, beforeId?: number): RawBuilder<unknown> => {
  const parts: RawBuilder<unknown>[] = [filter.workspaceId === null ? sql`workspace_id is null` : sql`workspace_id = ${filter.workspaceId}`];
  if (filter.action) {
    const prefix = /[.*]$/.test(filter.action) ? filter.action.replace(/\*$/, '') : undefined;
    parts.push(prefix !== undefined ? sql`action like ${`${escapeLike(prefix)}%`}` : sql`action = ${filter.action}`);
  }
  if (filter.userId) parts.push(sql`actor_id = ${filter.userId}`);
  if (filter.from) parts.push(sql`at >= ${parseInstant(filter.from, 'from')}::timestamptz`);
  if (filter.to) parts.push(sql`at < ${parseInstant(filter.to, 'to')}::timestamptz`);
  if (beforeId !== undefined) parts.push(sql`id < ${beforeId}`);
  return sql.join(parts, sql` and `);
};

const selectPage = async (db: Db, filter: AuditFilter, limit: number, beforeId?: number) => {
  const { rows } = await sql<AuditRow>`
    select id, at, actor_id, action, object_name, record_id, ip, user_agent, details
    from rapport.audit_log where ${conditions(filter, beforeId)}
    order by id desc limit ${limit}`.execute(db);
  return rows.map(toEntry);
};

/** One page of a workspace's (or the instance's) audit log, newest first. */
export const listAuditEntries = async (db: Db, options: ListAuditOptions): Promise<AuditPage> => {
  const beforeId = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await selectPage(db, options, options.limit + 1, beforeId);
  const hasNextPage = rows.length > options.limit;
  const data = rows.slice(0, options.limit);
  return { data, pageInfo: { hasNextPage, nextCursor: hasNextPage ? encodeCursor(data.at(-1)!.id) : null } };
};

/**
 * Every matching entry, newest first, in pages of `batchSize` read one query at a time (no cursor
 * held open: PGlite has one session and other requests must get their turn between pages).
 */
export async function* streamAuditEntries(db: Db, filter: AuditFilter, batchSize = 1000): AsyncGenerator<AuditLogEntry> {
  let beforeId: number | undefined;
  for (;;) {
    const rows = await selectPage(db, filter, batchSize, beforeId);
    yield* rows;
    if (rows.length < batchSize) return;
    beforeId = rows.at(-1)!.id;
  }
}

/** Checks the filter's values before a response starts streaming (a bad date must be a 400, not a cut stream). */
export const checkAuditFilter = (filter: AuditFilter): void => {
  if (filter.from) parseInstant(filter.from, 'from');
  if (filter.to) parseInstant(filter.to, 'to');
};
