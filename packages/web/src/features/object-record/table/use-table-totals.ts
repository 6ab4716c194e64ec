import type { FieldDefinition } from '@rapport/common';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { Filter } from '../../../api/types.ts';
import { convertedMetricsOf, currencyCodeMetricsOf, isMixed, moneyTotalsOf, type AggregateAnswer, type MoneyOp } from '../currency-totals.ts';
import { groupKeyOf, totalMetricsOf, totalsByGroup, totalsOfRow, type Totals } from './grouping-model.ts';

const aggregate = (object: string, body: Record<string, unknown>, signal: AbortSignal) =>
  api.post<AggregateAnswer>(`/records/${encodeURIComponent(object)}/aggregate`, body, { signal });

const MONEY_OPS: readonly MoneyOp[] = ['sum', 'avg'];

/**
 * The currencies of the currency fields' amounts and, for the fields whose amounts mix currencies, their sums and
 * averages converted to the default currency (currency-totals.ts): two more queries, the second only when needed.
 */
const useMoney = (object: string, scope: Record<string, unknown>, fields: readonly FieldDefinition[], groupBy: string | undefined, enabled: boolean) => {
  const currencyFields = fields.filter((field) => field.type === 'currency');
  const grouping = groupBy ? { groupBy: [groupBy], limit: 10_000 } : {};
  const codes = useQuery({
    queryKey: [...queryKeys.records(object), 'currencies', { scope, groupBy, fields: currencyFields.map((field) => field.name) }],
    queryFn: ({ signal }) => aggregate(object, { ...scope, ...grouping, metrics: currencyFields.flatMap(currencyCodeMetricsOf) }, signal),
    placeholderData: groupBy ? undefined : keepPreviousData,
    enabled: enabled && currencyFields.length > 0,
  });
  const mixed = currencyFields.filter((field) => isMixed(codes.data?.data, field));
  const converted = useQuery({
    queryKey: [...queryKeys.records(object), 'convertedTotals', { scope, groupBy, fields: mixed.map((field) => field.name) }],
    queryFn: ({ signal }) => aggregate(object, { ...scope, ...grouping, metrics: mixed.flatMap((field) => convertedMetricsOf(field, MONEY_OPS)) }, signal),
    enabled: enabled && mixed.length > 0,
  });
  const keyOf = (row: Record<string, unknown>) => (groupBy ? groupKeyOf(row[groupBy]) : '');
  /** Totals with each currency field's figures in its one currency, or converted when currencies mix. */
  return (totals: Totals, key: string): Totals => {
    if (!codes.data) return totals;
    const values = { ...totals.values };
    for (const field of currencyFields) {
      // Mixed anywhere, every group is converted: the figures of one table are in one currency.
      const money = moneyTotalsOf({ rows: codes.data.data, converted: converted.data, field, ops: MONEY_OPS, keyOf });
      const current = values[field.name] ?? { sum: null, avg: null };
      if (!money.isConverted) {
        values[field.name] = { ...current, ...(money.currency ? { currency: money.currency } : {}) };
        continue;
      }
      const row = money.rows.find((candidate) => keyOf(candidate) === key);
      values[field.name] = { ...totalsOfRow(row, [field]).values[field.name]!, currency: money.currency, isConverted: true, unconverted: money.unconverted };
    }
    return { ...totals, values };
  };
};

/**
 * Totals of every matching record (not only the loaded rows) from `POST /records/{object}/aggregate`:
 * the whole list, and per group when the table is grouped.
 */
export const useTableTotals = ({ object, filter, segment, fields, groupBy, enabled }: { object: string; filter: Filter | undefined; segment?: string | undefined; fields: FieldDefinition[]; groupBy: string | undefined; enabled: boolean }) => {
  const metrics = totalMetricsOf(fields);
  const scope = { ...(filter ? { filter } : {}), ...(segment ? { segment } : {}) };
  const totals = useQuery({
    queryKey: [...queryKeys.records(object), 'totals', { filter, segment, metrics }],
    queryFn: ({ signal }) => aggregate(object, { ...scope, metrics }, signal),
    select: (result) => totalsOfRow(result.data[0], fields),
    placeholderData: keepPreviousData,
    enabled,
  });
  const groups = useQuery({
    queryKey: [...queryKeys.records(object), 'groupTotals', { filter, segment, metrics, groupBy }],
    queryFn: ({ signal }) => aggregate(object, { ...scope, groupBy: [groupBy], metrics, limit: 10_000 }, signal),
    select: (result) => totalsByGroup(result.data, groupBy!, fields),
    enabled: enabled && Boolean(groupBy),
  });
  const withMoney = useMoney(object, scope, fields, undefined, enabled);
  const withGroupMoney = useMoney(object, scope, fields, groupBy, enabled && Boolean(groupBy));
  return {
    totals: totals.data && withMoney(totals.data, ''),
    groupTotals: groupBy && groups.data ? new Map([...groups.data].map(([key, group]) => [key, withGroupMoney(group, key)])) : undefined,
  };
};
