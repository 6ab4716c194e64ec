import type { FieldDefinition, Filter, ObjectDefinition } from '@rapport/common';
import { tableFieldsOf } from '../metadata.ts';

/** A related list totals at most this many fields (each currency field also groups the query by its currency). */
export const MAX_ROLLUP_FIELDS = 3;

/**
 * Fields worth summing in a related list: numbers and amounts. Percentages and ratings are left out:
 * their sum means nothing.
 */
export const rollupFieldsOf = (target: ObjectDefinition): FieldDefinition[] =>
  tableFieldsOf(target).filter((field) => !field.isSystem && (field.type === 'number' || field.type === 'currency')).slice(0, MAX_ROLLUP_FIELDS);

/** The `POST /records/{object}/aggregate` body: a count and a sum per field, grouped by each amount's currency. */
export const rollupQueryOf = (fields: readonly FieldDefinition[], filter: Filter) => ({
  filter,
  groupBy: fields.filter((field) => field.type === 'currency').map((field) => `${field.name}.currency`),
  metrics: [{ op: 'count' as const }, ...fields.map((field) => ({ op: 'sum' as const, field: field.name }))],
});

export interface RollupAmount {
  /** The currency of a currency field's amounts; null for a number field. */
  currency: string | null;
  value: number;
}

export interface Rollup {
  count: number;
  /** Per field with at least one value: its sum, one per currency (largest first). */
  totals: { field: FieldDefinition; amounts: RollupAmount[] }[];
}

const toNumber = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : null);

/** Sums of one field over the aggregate rows, added up per currency (rows are grouped by every currency field). */
const amountsOf = (rows: readonly Record<string, unknown>[], field: FieldDefinition): RollupAmount[] => {
  const sums = new Map<string | null, number>();
  for (const row of rows) {
    const value = toNumber(row[`sum_${field.name}`]);
    if (value === null) continue;
    const currency = field.type === 'currency' ? ((row[`${field.name}.currency`] as string | null | undefined) ?? null) : null;
    sums.set(currency, (sums.get(currency) ?? 0) + value);
  }
  return [...sums].map(([currency, value]) => ({ currency, value })).sort((a, b) => b.value - a.value);
};

/** The aggregate rows of rollupQueryOf as a count and totals. */
export const rollupOf = (rows: readonly Record<string, unknown>[], fields: readonly FieldDefinition[]): Rollup => ({
  count: rows.reduce((count, row) => count + (toNumber(row.count) ?? 0), 0),
  totals: fields.map((field) => ({ field, amounts: amountsOf(rows, field) })).filter((total) => total.amounts.length > 0),
});
