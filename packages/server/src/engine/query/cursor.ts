import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../errors.ts';
import type { ScalarKind } from '../fields/field-type.ts';
import { isUuid } from '../fields/types/relation.field.ts';
import { isCalendarDate, isStorableText } from './predicate.ts';
import type { SortKey } from './sort.ts';
import { columnOf } from './sql-parts.ts';

/** A sort value of the last row of a page, as text exact enough to compare with again. */
export type CursorValue = string | boolean | null;

/** Extra columns a list query selects for cursor values; they never collide with field columns (`[a-z]...`). */
export const CURSOR_COLUMN_PREFIX = '__cursor_';

const MAX_CURSOR_LENGTH = 4096;
const NUMBER_TEXT = /^(-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?|NaN|-?Infinity)$/i;
const INSTANT_TEXT = /^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const isValidValue: Record<ScalarKind, (value: unknown) => boolean> = {
  text: (value) => typeof value === 'string' && isStorableText(value),
  uuid: isUuid,
  boolean: (value) => typeof value === 'boolean',
  date: (value) => typeof value === 'string' && isCalendarDate(value),
  number: (value) => typeof value === 'string' && NUMBER_TEXT.test(value),
  datetime: (value) => typeof value === 'string' && INSTANT_TEXT.test(value),
  textArray: () => false,
  json: () => false,
};

// Numbers and instants are read as text: a JS number rounds numeric(20,4) and a JS Date drops
// microseconds, and a cursor a microsecond short would skip rows created in the same millisecond.
const needsTextColumn = (key: SortKey) => key.kind === 'number' || key.kind === 'datetime';

/** The select-list items carrying the exact sort values of each row. */
export const compileCursorColumns = (keys: readonly SortKey[], alias: string): RawBuilder<unknown>[] =>
  keys.flatMap((key, index) => {
    if (!needsTextColumn(key)) return [];
    const column = columnOf(alias, key.column);
    const text = key.kind === 'number' ? sql`${column}::text` : sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    return [sql`${text} as ${sql.id(`${CURSOR_COLUMN_PREFIX}${index}`)}`];
  });

export const readCursorValues = (row: Record<string, unknown>, keys: readonly SortKey[]): CursorValue[] =>
  keys.map((key, index) => (row[needsTextColumn(key) ? `${CURSOR_COLUMN_PREFIX}${index}` : key.column] ?? null) as CursorValue);

/** The row without the cursor columns. */
export const withoutCursorColumns = (row: Record<string, unknown>): Record<string, unknown> => {
  for (const name of Object.keys(row)) if (name.startsWith(CURSOR_COLUMN_PREFIX)) delete row[name];
  return row;
};

/** A short hash of what the cursor's values mean: the object, live or trash, and the sort keys. */
export const getSortSignature = (options: { objectName: string; keys: readonly SortKey[]; isDeleted: boolean }): string =>
  createHash('sha256')
    .update(JSON.stringify([options.objectName, options.isDeleted, options.keys.map((key) => [key.column, key.direction])]))
    .digest('base64url')
    .slice(0, 12);

/** base64url of `{"s": signature, "v": [values]}`: opaque to clients. */
export const encodeCursor = (signature: string, values: readonly CursorValue[]): string =>
  Buffer.from(JSON.stringify({ s: signature, v: values })).toString('base64url');

const invalidCursor = (detail: string) => new AppError('INVALID_CURSOR', `${detail} Start again from the first page, without a cursor.`);

/** The values of a cursor made by a query with the same sort; INVALID_CURSOR otherwise. */
export const decodeCursor = (options: { cursor: unknown; keys: readonly SortKey[]; signature: string }): CursorValue[] => {
  const { cursor, keys, signature } = options;
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalidCursor('The cursor is malformed.');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('The cursor is malformed.');
  }
  const { s, v } = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as { s?: unknown; v?: unknown };
  if (typeof s !== 'string' || !Array.isArray(v)) throw invalidCursor('The cursor is malformed.');
  if (s !== signature) throw invalidCursor('The cursor belongs to a query with another sort.');
  if (v.length !== keys.length) throw invalidCursor('The cursor is malformed.');
  return keys.map((key, index) => {
    const value: unknown = v[index];
    if (value === null ? !key.isNullable : !isValidValue[key.kind](value)) throw invalidCursor('The cursor is malformed.');
    return value as CursorValue;
  });
};
