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

type Term = RawBuilder<unknown> | undefined;

// Ascending puts nulls last, descending first (PostgreSQL's defaults, see compileOrderBy).
const afterTerm = (key: SortKey, column: RawBuilder<unknown>, value: CursorValue): Term => {
  if (key.direction === 'asc') {
    if (value === null) return undefined;
    return key.isNullable ? sql`(${column} > ${value} or ${column} is null)` : sql`${column} > ${value}`;
  }
  return value === null ? sql`${column} is not null` : sql`${column} < ${value}`;
};

const equalTerm = (column: RawBuilder<unknown>, value: CursorValue) => (value === null ? sql`${column} is null` : sql`${column} = ${value}`);

// A plain range on the first key lets the planner start the index scan at the cursor.
const leadingTerm = (key: SortKey, column: RawBuilder<unknown>, value: CursorValue): Term => {
  if (value === null) return undefined;
  if (key.direction === 'desc') return sql`${column} <= ${value}`;
  return key.isNullable ? sql`(${column} >= ${value} or ${column} is null)` : sql`${column} >= ${value}`;
};

/**
 * The rows strictly after the cursor in the sort order. A row comparison `(a, id) > ($1, $2)`
 * when every key has one direction and no nulls (it matches a `(a, id)` index range exactly);
 * otherwise the expanded form `a after $1 or (a = $1 and id after $2)` with nulls placed as
 * the order by places them, behind a leading bound on the first key.
 */
export const compileKeysetCondition = ({ keys, values, alias }: KeysetOptions): RawBuilder<unknown> => {
  const columns = keys.map((key) => columnOf(alias, key.column));
  const [first] = keys;
  if (!first || !columns[0]) return sql`true`;
  if (keys.every((key) => key.direction === first.direction && !key.isNullable)) {
    const operator = first.direction === 'asc' ? sql`>` : sql`<`;
    return sql`(${sql.join(columns)}) ${operator} (${sql.join(values.map((value) => sql`${value}`))})`;
  }
  const disjuncts: RawBuilder<unknown>[] = [];
  keys.forEach((key, index) => {
    const column = columns[index];
    const after = column && afterTerm(key, column, values[index] ?? null);
    if (!after) return;
    const equals = columns.slice(0, index).map((previous, position) => equalTerm(previous, values[position] ?? null));
    disjuncts.push(joinWith([...equals, after], 'and'));
  });
  if (disjuncts.length === 0) return sql`false`;
  const condition = joinWith(disjuncts, 'or');
  const leading = leadingTerm(first, columns[0], values[0] ?? null);
  return leading ? sql`(${leading} and ${condition})` : condition;
};
