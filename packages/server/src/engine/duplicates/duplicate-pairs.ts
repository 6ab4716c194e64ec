import { DUPLICATE_REASONS, type DuplicatePair as CommonDuplicatePair, type DuplicateReason } from '@rapport/common';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { getReadableObject } from '../permissions/assert-access.ts';
import { shapeRecords } from '../records/read-records.ts';
import type { ApiRecord } from '../records/record-shape.ts';
import { getDuplicateKeys } from './duplicate-keys.ts';

type DuplicatePair = CommonDuplicatePair<ApiRecord>;

interface PairContext {
  db: Db;
  workspace: WorkspaceMeta;
  access: Access;
}

interface Cursor {
  score: number;
  id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (text: string): Cursor => {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString()) as Cursor;
    if (typeof cursor.score === 'number' && typeof cursor.id === 'string' && /^[0-9a-f-]{36}$/.test(cursor.id)) return cursor;
  } catch {
    // Reported below.
  }
  throw new AppError('INVALID_CURSOR', 'This cursor was not made by this list. Start again from the first page, without a cursor.');
};

type PairRow = { id: string; a_id: string; b_id: string; score: number; reasons: DuplicateReason[]; found_at: string };

// Reasons whose fields the caller sees (the scan compares every field): a pair only hidden fields made is not theirs to see.
const visibleReasons = (object: ObjectMeta): DuplicateReason[] => {
  const keys = getDuplicateKeys(object);
  const shown = { email: keys.emails.length > 0, phone: keys.phones.length > 0, domain: keys.urls.length > 0, name: keys.name !== undefined };
  return DUPLICATE_REASONS.filter((reason) => shown[reason]);
};

// Pairs whose two records are live and readable by the caller, for a reason they may see: the others do not exist for them.
const readablePairs = (context: PairContext, objectName: string) => {
  const object = getReadableObject(context.access, objectName);
  const reasons = visibleReasons(object);
  const table = sql.id(context.workspace.schema, object.table);
  const readA = context.access.rows.predicate({ object, alias: 'a', mode: 'read' });
  const readB = context.access.rows.predicate({ object, alias: 'b', mode: 'read' });
  const from = sql`rapport.duplicate_pair as p
    join ${table} as a on a.id = p.a_id and a.deleted_at is null ${readA ? sql`and ${readA}` : sql``}
    join ${table} as b on b.id = p.b_id and b.deleted_at is null ${readB ? sql`and ${readB}` : sql``} and p.reasons && ${reasons}::text[]`;
  return { object, from, reasons };
};

/** Pairs found by the scheduled scan, most alike first; dismissed pairs are left out. */
export const listDuplicatePairs = async (context: PairContext, options: { objectName: string; limit: number; cursor?: string }): Promise<{ data: DuplicatePair[]; nextCursor: string | null }> => {
  const { object, from, reasons } = readablePairs(context, options.objectName);
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const { rows } = await sql<PairRow>`
    select p.id, p.a_id, p.b_id, p.score, p.reasons, p.found_at from ${from}
    where p.workspace_id = ${context.workspace.id} and p.object = ${object.name} and p.dismissed_at is null
    ${after ? sql`and (p.score < ${after.score}::real or (p.score = ${after.score}::real and p.id > ${after.id}::uuid))` : sql``}
    order by p.score desc, p.id limit ${options.limit + 1}`.execute(context.db);
  const page = rows.slice(0, options.limit);
  const readContext = { db: context.db, workspace: context.workspace, object, access: context.access };
  const ids = page.flatMap((row) => [row.a_id, row.b_id]);
  const { rows: records } = ids.length
    ? await sql<Record<string, unknown>>`select * from ${sql.id(context.workspace.schema, object.table)} where id = any(${ids}::uuid[])`.execute(context.db)
    : { rows: [] };
  const shaped = new Map((await shapeRecords(readContext, records, {})).map((record) => [record.id, record]));
  const data = page.map((row) => ({
    id: row.id,
    object: object.name,
    a: shaped.get(row.a_id)!,
    b: shaped.get(row.b_id)!,
    score: Math.round(row.score * 1000) / 1000,
    reasons: row.reasons.filter((reason) => reasons.includes(reason)),
    foundAt: row.found_at,
  }));
  const last = page.at(-1);
  return { data, nextCursor: rows.length > options.limit && last ? encodeCursor({ score: last.score, id: last.id }) : null };
};

/** "Not duplicates": the pair leaves the list and later scans leave it alone. */
export const dismissDuplicatePair = async (context: PairContext & { actorId: string | null }, options: { id: string }): Promise<{ id: string; dismissedAt: string }> => {
  const { rows: pairs } = await sql<{ object: string }>`
    select object from rapport.duplicate_pair where id = ${options.id} and workspace_id = ${context.workspace.id}`.execute(context.db);
  const objectName = pairs[0]?.object;
  const notFound = new AppError('DUPLICATE_PAIR_NOT_FOUND', `No duplicate pair with id ${options.id}.`);
  if (!objectName || !context.access.view.objects.has(objectName)) throw notFound;
  const { from } = readablePairs(context, objectName);
  const { rows } = await sql<{ dismissed_at: string }>`
    update rapport.duplicate_pair set dismissed_at = coalesce(dismissed_at, now()), dismissed_by = coalesce(dismissed_by, ${context.actorId}::uuid)
    where id = (select p.id from ${from} where p.id = ${options.id}) returning dismissed_at`.execute(context.db);
  if (!rows[0]) throw notFound;
  return { id: options.id, dismissedAt: rows[0].dismissed_at };
};
