import type { FieldDefinition, UnconvertedAmounts } from '@rapport/common';

/**
 * Totals of currency fields (kanban columns, the table's totals): amounts as stored when they share one currency,
 * converted to the workspace's default currency by the aggregate API (`"currency": "default"`, see
 * docs/reference/currency.md) when they mix currencies. Two steps, so that the usual case costs nothing: the
 * totals query also asks for the lowest and highest currency code summed (currencyCodeMetricsOf); only when
 * they differ is a second query asked for the converted figures (convertedMetricsOf), grouped the same way.
 */
export type MoneyOp = 'sum' | 'avg';

export interface AggregateAnswer {
  data: Record<string, unknown>[];
  /** With converted metrics: the default currency. */
  currency?: string;
  unconverted?: UnconvertedAmounts[];
}

const codeNameOf = (which: 'min' | 'max', field: string) => `${which}_${field}__currency`;

/** For a currency field: the lowest and highest currency code of its amounts, per group. */
export const currencyCodeMetricsOf = (field: FieldDefinition | undefined) =>
  field?.type !== 'currency'
    ? []
    : [
        { op: 'min' as const, field: `${field.name}.currency`, alias: codeNameOf('min', field.name) },
        { op: 'max' as const, field: `${field.name}.currency`, alias: codeNameOf('max', field.name) },
      ];

/** The same figures (`sum_<field>`, `avg_<field>`) converted to the default currency. */
export const convertedMetricsOf = (field: FieldDefinition, ops: readonly MoneyOp[]) => ops.map((op) => ({ op, field: field.name, currency: 'default' as const }));

/** The currencies of a field's amounts over aggregate rows, sorted. */
export const currenciesOf = (rows: readonly Record<string, unknown>[], field: string): string[] =>
  [...new Set(rows.flatMap((row) => [row[codeNameOf('min', field)], row[codeNameOf('max', field)]]).filter((code): code is string => typeof code === 'string' && code !== ''))].sort();

/** Whether the rows' amounts of a currency field are in more than one currency: the converted query is then needed. */
export const isMixed = (rows: readonly Record<string, unknown>[] | undefined, field: FieldDefinition | undefined): boolean =>
  Boolean(rows && field?.type === 'currency' && currenciesOf(rows, field.name).length > 1);

export interface MoneyTotals {
  /** The rows with `<op>_<field>` holding the figure to show: converted when currencies mix (null until known). */
  rows: Record<string, unknown>[];
  /** The currency of the figures: the one currency summed, or the default currency when converted. */
  currency: string | undefined;
  isConverted: boolean;
  /** Amounts left out of converted figures: their currency has no exchange rate. */
  unconverted: number;
}

/**
 * The figures to show for one currency field: `rows` from the totals query (with currencyCodeMetricsOf),
 * `converted` from the converted query when isMixed (undefined while it loads), matched by `keyOf` (the group).
 */
export const moneyTotalsOf = (options: {
  rows: Record<string, unknown>[];
  converted: AggregateAnswer | undefined;
  field: FieldDefinition | undefined;
  ops: readonly MoneyOp[];
  keyOf: (row: Record<string, unknown>) => string;
}): MoneyTotals => {
  const { rows, converted, field, ops, keyOf } = options;
  if (!field || field.type !== 'currency') return { rows, currency: undefined, isConverted: false, unconverted: 0 };
  const currencies = currenciesOf(rows, field.name);
  if (currencies.length <= 1) return { rows, currency: currencies[0] ?? field.options?.defaultCurrency, isConverted: false, unconverted: 0 };
  const byKey = new Map((converted?.data ?? []).map((row) => [keyOf(row), row]));
  const names = ops.map((op) => `${op}_${field.name}`);
  return {
    // A sum of mixed currencies means nothing: empty until the converted figures arrive.
    rows: rows.map((row) => ({ ...row, ...Object.fromEntries(names.map((name) => [name, byKey.get(keyOf(row))?.[name] ?? null])) })),
    currency: converted?.currency,
    isConverted: true,
    unconverted: (converted?.unconverted ?? []).filter((entry) => entry.field === field.name).reduce((total, entry) => total + entry.count, 0),
  };
};
