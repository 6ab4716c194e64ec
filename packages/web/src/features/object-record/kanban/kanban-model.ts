import type { FieldDefinition, ObjectDefinition, SelectChoice } from '@rapport/common';
import type { ApiRecord } from '../../../api/types.ts';

/** The key of the column of records without a value. */
export const NO_VALUE = '__none__';

/** Select fields a board can be grouped by, the opportunity's `stage` (or any field named so) first. */
export const groupFieldsOf = (object: ObjectDefinition): FieldDefinition[] => {
  const selects = object.fields.filter((field) => field.type === 'select' && (field.options?.choices?.length ?? 0) > 0);
  return [...selects.filter((field) => field.name === 'stage'), ...selects.filter((field) => field.name !== 'stage')];
};

/** The number or currency field a board sums per column: `amount` when there is one. */
export const sumFieldOf = (object: ObjectDefinition): FieldDefinition | undefined => {
  const numeric = object.fields.filter((field) => field.type === 'currency' || field.type === 'number');
  return numeric.find((field) => field.name === 'amount') ?? numeric.find((field) => field.type === 'currency') ?? numeric[0];
};

export interface BoardColumn {
  /** The choice value, or NO_VALUE. */
  key: string;
  choice: SelectChoice | undefined;
  records: ApiRecord[];
}

/**
 * The columns of a board, in choice order, each with its records (as listed). `moves` are the
 * optimistic changes not yet confirmed by the server (record id → new value). Records whose value is no
 * choice of the field (or empty) go to a last "no value" column, shown only when it has records or
 * the field may be empty.
 */
export const buildColumns = (field: FieldDefinition, records: readonly ApiRecord[], moves: ReadonlyMap<string, string | null> = new Map()): BoardColumn[] => {
  const choices = field.options?.choices ?? [];
  const columns: BoardColumn[] = choices.map((choice) => ({ key: choice.value, choice, records: [] }));
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const none: BoardColumn = { key: NO_VALUE, choice: undefined, records: [] };
  for (const record of records) {
    const value = moves.has(record.id) ? moves.get(record.id) : record[field.name];
    const column = typeof value === 'string' ? byKey.get(value) : undefined;
    (column ?? none).records.push(record);
  }
  if (none.records.length > 0 || !field.required) columns.push(none);
  return columns;
};

/** The API value a column stands for. */
export const valueOfColumn = (key: string): string | null => (key === NO_VALUE ? null : key);

export interface ColumnTotals {
  count: number;
  sum: number | null;
}

/** Aggregate rows (`groupBy: [field]`, metrics `count` and `sum_<field>`) keyed by column. */
export const totalsByColumn = (rows: readonly Record<string, unknown>[], groupField: string, sumField: string | undefined): Map<string, ColumnTotals> => {
  const totals = new Map<string, ColumnTotals>();
  for (const row of rows) {
    const value = row[groupField];
    const key = typeof value === 'string' ? value : NO_VALUE;
    const sum = sumField ? row[`sum_${sumField}`] : null;
    const previous = totals.get(key);
    const count = Number(row.count ?? 0) + (previous?.count ?? 0);
    const numeric = typeof sum === 'number' ? sum : typeof sum === 'string' && sum !== '' ? Number(sum) : null;
    totals.set(key, { count, sum: numeric === null ? (previous?.sum ?? null) : numeric + (previous?.sum ?? 0) });
  }
  return totals;
};
