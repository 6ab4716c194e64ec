import { sql, type RawBuilder } from 'kysely';
import { invalidQuery } from '../errors.ts';
import type { ScalarKind } from '../fields/field-type.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { assertNotEncrypted, resolvePath } from './resolve-field.ts';
import { columnOf } from './sql-parts.ts';

export const MAX_SORT_KEYS = 5;
/** Newest first. */
export const DEFAULT_SORT: readonly string[] = ['-createdAt'];

const SORTABLE_KINDS: ReadonlySet<ScalarKind> = new Set(['text', 'number', 'boolean', 'date', 'datetime', 'uuid']);

export type SortDirection = 'asc' | 'desc';

/** One key of a parsed sort; the last key of every parsed sort is `id`. */
export interface SortKey {
  path: string;
  column: string;
  kind: ScalarKind;
  direction: SortDirection;
  isNullable: boolean;
}

export interface ParseSortOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  /** `["lastName", "-createdAt", "address.city"]`; the default sort when absent or empty. */
  sort?: unknown;
}

const parseSpec = ({ workspace, object }: ParseSortOptions, spec: unknown): SortKey => {
  if (typeof spec !== 'string' || spec === '' || spec === '-') throw invalidQuery(`Invalid sort ${JSON.stringify(spec)}: expected a field name, "-" first for descending.`, 'sort');
  const isDescending = spec.startsWith('-');
  const path = isDescending ? spec.slice(1) : spec;
  const resolved = resolvePath({ workspace, object, path });
  if (resolved.hops.length > 0 || resolved.type === 'collection') {
    throw invalidQuery(`Cannot sort by "${path}": sort by a field of ${object.name} itself, not through a relation.`, path);
  }
  assertNotEncrypted(resolved, 'sort by');
  const { kind, column } = resolved.operand;
  if (!SORTABLE_KINDS.has(kind)) throw invalidQuery(`Cannot sort by "${path}": ${kind} values have no order.`, path);
  return { path, column, kind, direction: isDescending ? 'desc' : 'asc', isNullable: resolved.isNullable };
};

/**
 * Parses sort specs into keys, with `id` appended as the final tiebreaker (in the direction of
 * the last key) so the order is total and keyset pagination exact.
 */
export const parseSort = (options: ParseSortOptions): SortKey[] => {
  const { sort } = options;
  if (sort !== undefined && !Array.isArray(sort)) throw invalidQuery('sort must be a list of field names.', 'sort');
  const specs = sort === undefined || sort.length === 0 ? DEFAULT_SORT : sort;
  if (specs.length > MAX_SORT_KEYS) throw invalidQuery(`At most ${MAX_SORT_KEYS} sort keys; got ${specs.length}.`, 'sort');
  const keys: SortKey[] = [];
  for (const spec of specs) {
    const key = parseSpec(options, spec);
    if (keys.some((other) => other.column === key.column)) throw invalidQuery(`"${key.path}" appears twice in sort.`, key.path);
    keys.push(key);
    // Keys after id could never decide anything.
    if (key.column === 'id') return keys;
  }
  const last = keys.at(-1);
  keys.push({ path: 'id', column: 'id', kind: 'uuid', direction: last?.direction ?? 'asc', isNullable: false });
  return keys;
};

/**
 * `order by` for the keys. Nulls go where PostgreSQL puts them by default — last ascending,
 * first descending — so a plain btree index on `(column, id)` serves both directions.
 */
export const compileOrderBy = (keys: readonly SortKey[], alias: string): RawBuilder<unknown> =>
  sql.join(keys.map((key) => sql`${columnOf(alias, key.column)} ${key.direction === 'asc' ? sql`asc` : sql`desc`}`));
