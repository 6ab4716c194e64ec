import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import type { ApiRecord } from '../../../api/types.ts';
import { isNumericKind, valueKindOf } from '../../field-types/field-kind.ts';
import { relationKindOf, tableFieldsOf } from '../metadata.ts';

/** The key of rows without a value. */
export const NO_GROUP = '__none';

/** Fields a table can group its rows by: selects, owners, yes/no and many-to-one relations. */
export const groupableFieldsOf = (object: ObjectDefinition): FieldDefinition[] =>
  object.fields.filter((field) => field.type === 'select' || field.type === 'owner' || field.type === 'boolean' || relationKindOf(field) === 'manyToOne');

/** Numeric and currency columns the totals row sums and averages (the aggregate API takes ten metrics). */
export const totalFieldsOf = (object: ObjectDefinition): FieldDefinition[] =>
  tableFieldsOf(object).filter((field) => isNumericKind(valueKindOf(field)) && field.type !== 'rating').slice(0, 4);

/** A record's group: its value as the aggregate API reports it (ids for relations and owners). */
export const groupKeyOf = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return NO_GROUP;
  if (typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value.id;
  return String(value);
};

export type TableItem = { type: 'group'; key: string; record: ApiRecord; isCollapsed: boolean } | { type: 'row'; index: number };

/**
 * The rows with a header before each group. Records arrive sorted by the group field first, so each
 * group is one run; a collapsed group keeps its header only.
 */
export const buildTableItems = ({ records, groupBy, collapsed }: { records: readonly ApiRecord[]; groupBy: string | undefined; collapsed: ReadonlySet<string> }): TableItem[] => {
  if (!groupBy) return records.map((_, index) => ({ type: 'row', index }));
  const items: TableItem[] = [];
  let current: string | undefined;
  records.forEach((record, index) => {
    const key = groupKeyOf(record[groupBy]);
    if (key !== current) {
      current = key;
      items.push({ type: 'group', key, record, isCollapsed: collapsed.has(key) });
    }
    if (!collapsed.has(key)) items.push({ type: 'row', index });
  });
  return items;
};

export interface Totals {
  count: number;
  /**
   * `sum` and `avg` per field name. Currency fields also say their `currency`: the one their amounts share, or
   * the workspace's default currency when they mix currencies and the figures are converted (`isConverted`,
   * leaving out `unconverted` amounts whose currency has no exchange rate).
   */
  values: Record<string, { sum: number | null; avg: number | null; currency?: string | undefined; isConverted?: boolean; unconverted?: number }>;
}

const toNumber = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : null);

/** Aggregate metrics for the totals: a count, then the sum and the average of each field. */
export const totalMetricsOf = (fields: readonly FieldDefinition[]) => [
  { op: 'count' as const },
  ...fields.flatMap((field) => [{ op: 'sum' as const, field: field.name }, { op: 'avg' as const, field: field.name }]),
];

/** One aggregate row (`count`, `sum_<field>`, `avg_<field>`) as totals. */
export const totalsOfRow = (row: Record<string, unknown> | undefined, fields: readonly FieldDefinition[]): Totals => ({
  count: toNumber(row?.count) ?? 0,
  values: Object.fromEntries(fields.map((field) => [field.name, { sum: toNumber(row?.[`sum_${field.name}`]), avg: toNumber(row?.[`avg_${field.name}`]) }])),
});

/** Aggregate rows grouped by one field, keyed like groupKeyOf. */
export const totalsByGroup = (rows: readonly Record<string, unknown>[], groupBy: string, fields: readonly FieldDefinition[]): Map<string, Totals> =>
  new Map(rows.map((row) => [groupKeyOf(row[groupBy]), totalsOfRow(row, fields)]));
