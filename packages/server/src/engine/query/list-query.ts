import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SYSTEM_FIELDS, type RecordQuery } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { invalidQuery } from '../errors.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { compileFilter } from './compile-filter.ts';
import { compileCursorColumns, decodeCursor, encodeCursor, getSortSignature, readCursorValues, withoutCursorColumns } from './cursor.ts';
import { compileKeysetBranches } from './keyset.ts';
import type { RowScope } from './row-scope.ts';
import { compileOrderBy, parseSort, type SortKey } from './sort.ts';
import { deletedCondition, segmentMemberCondition, tableOf } from './sql-parts.ts';

export interface ListQueryOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  query: RecordQuery;
  /** The rows the caller may read (ALL_ROWS for the engine's own work); ANDed into the page and the count. */
  rows: RowScope;
  /** The moment relative dates are resolved at; defaults to the current time. */
  now?: Date;
  /** Only the members of this static segment (engine/segments). */
  memberOf?: string;
}

export interface ListQuery {
  /** `t0.*` plus `__cursor_N` columns, `limit + 1` rows: one more than a page tells whether another follows. */
  sql: RawBuilder<Record<string, unknown>>;
  /** When `query.count`: the records matching the filter, all pages together. */
  countSql?: RawBuilder<{ count: number }>;
  /** When `count: 'estimate'` may use the planner's figure: `reltuples` of the object's table. */
  estimateSql?: RawBuilder<{ estimate: number }>;
  limit: number;
  keys: SortKey[];
  signature: string;
}

export interface ListResult {
  /** Raw rows of the object's table (columns, not API fields): the records layer shapes them. */
  rows: Record<string, unknown>[];
  nextCursor: string | null;
  hasNextPage: boolean;
  totalCount?: number;
  /** The total is the planner's estimate (`count: 'estimate'` on a large table). */
  totalCountIsEstimate?: true;
}

/** Below this many rows an exact count is cheap: `count: 'estimate'` counts them. */
export const ESTIMATE_MIN_ROWS = 10_000;

const ALIAS = 't0';
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const PAGE_ALIAS = 'page';

const parseLimit = (limit: unknown): number => {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw invalidQuery(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'limit');
  if (limit > MAX_PAGE_SIZE) throw invalidQuery(`limit is at most ${MAX_PAGE_SIZE}; got ${limit}. Page with the cursor instead.`, 'limit');
  return limit;
};

const isSystemField = (name: string) => (SYSTEM_FIELDS as readonly string[]).includes(name);

/**
 * The fields to output for `fields` (every field, stored and virtual, when absent or empty).
 * System fields are accepted but not returned: they always come with a record.
 */
export const resolveSelectedFields = (object: ObjectMeta, fields?: readonly string[]): FieldMeta[] => {
  if (!fields || fields.length === 0) return [...object.fields];
  const selected = new Set<FieldMeta>();
  for (const name of fields) {
    if (isSystemField(name)) continue;
    const field = object.fieldsByName.get(name);
    if (!field) throw invalidQuery(`Unknown field "${name}" in fields. Fields of ${object.name}: ${object.fields.map((f) => f.name).join(', ')}.`, 'fields');
    selected.add(field);
  }
  return [...selected];
};

const isIncludable = (field: FieldMeta | undefined) => field?.type === 'relation' || field?.type === 'reference';

/** The relation and reference fields named by `include`; anything else is an invalid query. */
export const resolveIncludedRelations = (object: ObjectMeta, include?: readonly string[]): FieldMeta[] =>
  [...new Set(include ?? [])].map((name) => {
    const field = object.fieldsByName.get(name);
    if (field && isIncludable(field)) return field;
    const relations = object.fields.filter(isIncludable).map((f) => f.name);
    throw invalidQuery(`Cannot include "${name}": it is not a relation of ${object.name}. Relations: ${relations.join(', ') || 'none'}.`, 'include');
  });

/** Builds the page query (and the count query) of a RecordQuery; validates everything first. */
export const buildListQuery = ({ workspace, object, query, rows, now, memberOf }: ListQueryOptions): ListQuery => {
  const limit = parseLimit(query.limit);
  resolveSelectedFields(object, query.fields);
  resolveIncludedRelations(object, query.include);
  const isDeleted = query.deleted === true;
  const keys = parseSort({ workspace, object, sort: query.sort });
  const signature = getSortSignature({ objectName: object.name, keys, isDeleted });
  const conditions: RawBuilder<unknown>[] = [deletedCondition(ALIAS, isDeleted)];
  const access = rows.predicate({ object, alias: ALIAS, mode: 'read' });
  if (access) conditions.push(sql`(${access})`);
  if (query.filter !== undefined) conditions.push(sql`(${compileFilter({ workspace, object, filter: query.filter, alias: ALIAS, rows, ...(now ? { now } : {}) })})`);
  if (memberOf !== undefined) conditions.push(segmentMemberCondition(ALIAS, memberOf));
  const from = sql`from ${tableOf(workspace, object)} as ${sql.id(ALIAS)}`;
  const selection = sql.join([sql`${sql.id(ALIAS)}.*`, ...compileCursorColumns(keys, ALIAS)]);
  const selectPage = (keyset?: RawBuilder<unknown>) =>
    sql<Record<string, unknown>>`select ${selection} ${from} where ${sql.join(keyset ? [...conditions, keyset] : conditions, sql` and `)} order by ${compileOrderBy(keys, ALIAS)} limit ${limit + 1}`;
  const branches = query.cursor === undefined ? [] : compileKeysetBranches({ keys, values: decodeCursor({ cursor: query.cursor, keys, signature }), alias: ALIAS });
  // Two keyset branches (values, then nulls of the first key): each an index range with its own limit, merged.
  const page = branches.length < 2
    ? selectPage(branches[0])
    : sql<Record<string, unknown>>`select * from (${sql.join(branches.map((branch) => sql`(${selectPage(branch)})`), sql` union all `)}) as ${sql.id(PAGE_ALIAS)} order by ${compileOrderBy(keys, PAGE_ALIAS)} limit ${limit + 1}`;
  // An estimate only where it estimates the answer: the whole live table, every row of it readable.
  const canEstimate = query.count === 'estimate' && query.filter === undefined && memberOf === undefined && !access && !isDeleted;
  return {
    sql: page,
    ...(query.count ? { countSql: sql<{ count: number }>`select count(*) as ${sql.id('count')} ${from} where ${sql.join(conditions, sql` and `)}` } : {}),
    // The planner's row count holds trashed records too: they are counted exactly (the trash has its own partial index).
    ...(canEstimate
      ? {
          estimateSql: sql<{ estimate: number }>`select greatest(0, reltuples::bigint - (select count(*) from ${sql.id(workspace.schema, object.table)} where deleted_at is not null)) as ${sql.id('estimate')}
            from pg_class where oid = to_regclass(${`${quoteIdent(workspace.schema)}.${quoteIdent(object.table)}`}) and reltuples >= 0`,
        }
      : {}),
    limit,
    keys,
    signature,
  };
};

/** Runs a list query: one page of rows, the cursor of the next page, and the total when asked. */
export const runListQuery = async (db: Db, options: ListQueryOptions): Promise<ListResult> => {
  const built = buildListQuery(options);
  const estimate = Number((await built.estimateSql?.execute(db))?.rows[0]?.estimate ?? -1);
  // Never analysed (-1) or small: counted exactly.
  const isEstimate = estimate >= ESTIMATE_MIN_ROWS;
  const [{ rows }, count] = await Promise.all([built.sql.execute(db), isEstimate ? undefined : built.countSql?.execute(db)]);
  const hasNextPage = rows.length > built.limit;
  const page = hasNextPage ? rows.slice(0, built.limit) : rows;
  const last = page.at(-1);
  const nextCursor = hasNextPage && last ? encodeCursor(built.signature, readCursorValues(last, built.keys)) : null;
  const totalCount = isEstimate ? estimate : count?.rows[0]?.count;
  return {
    rows: page.map(withoutCursorColumns),
    nextCursor,
    hasNextPage,
    ...(totalCount !== undefined ? { totalCount: Number(totalCount) } : {}),
    ...(isEstimate ? { totalCountIsEstimate: true as const } : {}),
  };
};
