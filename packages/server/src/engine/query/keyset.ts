import { sql, type RawBuilder } from 'kysely';
import type { CursorValue } from './cursor.ts';
import type { SortKey } from './sort.ts';
import { columnOf, joinWith } from './sql-parts.ts';

export interface KeysetOptions {
  keys: readonly SortKey[];
  /** The sort values of the last row of the previous page, one per key. */
  values: readonly CursorValue[];
  alias: string;
}

type Column = RawBuilder<unknown>;

// Ascending puts nulls last, descending first (PostgreSQL's defaults, see compileOrderBy).
const afterTerm = (key: SortKey, column: Column, value: CursorValue): Column | undefined => {
  if (key.direction === 'asc') {
    if (value === null) return undefined;
    return key.isNullable ? sql`(${column} > ${value} or ${column} is null)` : sql`${column} > ${value}`;
  }
  return value === null ? sql`${column} is not null` : sql`${column} < ${value}`;
};

const equalTerm = (column: Column, value: CursorValue) => (value === null ? sql`${column} is null` : sql`${column} = ${value}`);

/** Rows after the cursor on keys[start..], given equality on the keys before: `a after or (a = and b after) ...`. */
const compileAfter = (keys: readonly SortKey[], columns: readonly Column[], values: readonly CursorValue[], start: number): Column => {
  const disjuncts: Column[] = [];
  for (let index = start; index < keys.length; index++) {
    const [key, column] = [keys[index], columns[index]];
    const after = key && column && afterTerm(key, column, values[index] ?? null);
    if (!after) continue;
    const equals = columns.slice(start, index).map((previous, offset) => equalTerm(previous, values[start + offset] ?? null));
    disjuncts.push(joinWith([...equals, after], 'and'));
  }
  return disjuncts.length > 0 ? joinWith(disjuncts, 'or') : sql`false`;
};

/**
 * The rows strictly after the cursor in the sort order, as one or two conditions whose results
 * are disjoint and together exact. Each is an index range on the first key:
 * - every key one direction and never null: `(a, b, id) > ($1, $2, $3)`;
 * - otherwise `a >= $1 and (a > $1 or (a = $1 and <after on the next keys>))` (`<=`/`<` descending);
 * - a nullable first key whose remaining rows hold both values and nulls (ascending from a value,
 *   descending from a null) gives two: the values and the nulls. `a >= $1 or a is null` would
 *   be one condition, but no index range: PostgreSQL would filter every row before the cursor.
 */
export const compileKeysetBranches = ({ keys, values, alias }: KeysetOptions): RawBuilder<unknown>[] => {
  const columns = keys.map((key) => columnOf(alias, key.column));
  const [first] = keys;
  const [column] = columns;
  if (!first || !column) return [sql`true`];
  const isAscending = first.direction === 'asc';
  if (keys.every((key) => key.direction === first.direction && !key.isNullable)) {
    return [sql`(${sql.join(columns)}) ${isAscending ? sql`>` : sql`<`} (${sql.join(values.map((value) => sql`${value}`))})`];
  }
  const [value = null] = values;
  const rest = compileAfter(keys, columns, values, 1);
  if (value === null) {
    // In the nulls: the other nulls, then (descending) every value.
    const nulls = sql`(${column} is null and ${rest})`;
    return isAscending ? [nulls] : [nulls, sql`${column} is not null`];
  }
  const fromValue = isAscending
    ? sql`(${column} >= ${value} and (${column} > ${value} or (${column} = ${value} and ${rest})))`
    : sql`(${column} <= ${value} and (${column} < ${value} or (${column} = ${value} and ${rest})))`;
  return isAscending && first.isNullable ? [fromValue, sql`${column} is null`] : [fromValue];
};

/** The same rows as compileKeysetBranches, as one condition (for callers that cannot union). */
export const compileKeysetCondition = (options: KeysetOptions): RawBuilder<unknown> => joinWith(compileKeysetBranches(options), 'or');
