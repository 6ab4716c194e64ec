import type { FieldDefinition } from '@rapport/common';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { Filter } from '../../../api/types.ts';
import { totalMetricsOf, totalsByGroup, totalsOfRow } from './grouping-model.ts';

const aggregate = (object: string, body: Record<string, unknown>, signal: AbortSignal) =>
  api.post<{ data: Record<string, unknown>[] }>(`/records/${encodeURIComponent(object)}/aggregate`, body, { signal });

/**
 * Totals of every matching record (not only the loaded rows) from `POST /records/{object}/aggregate`:
 * the whole list, and per group when the table is grouped.
 */
export const useTableTotals = ({ object, filter, segment, fields, groupBy, enabled }: { object: string; filter: Filter | undefined; segment?: string | undefined; fields: FieldDefinition[]; groupBy: string | undefined; enabled: boolean }) => {
  const metrics = totalMetricsOf(fields);
  const totals = useQuery({
    queryKey: [...queryKeys.records(object), 'totals', { filter, segment, metrics }],
    queryFn: ({ signal }) => aggregate(object, { ...(filter ? { filter } : {}), ...(segment ? { segment } : {}), metrics }, signal),
    select: (result) => totalsOfRow(result.data[0], fields),
    placeholderData: keepPreviousData,
    enabled,
  });
  const groups = useQuery({
    queryKey: [...queryKeys.records(object), 'groupTotals', { filter, segment, metrics, groupBy }],
    queryFn: ({ signal }) => aggregate(object, { ...(filter ? { filter } : {}), ...(segment ? { segment } : {}), groupBy: [groupBy], metrics, limit: 10_000 }, signal),
    select: (result) => totalsByGroup(result.data, groupBy!, fields),
    enabled: enabled && Boolean(groupBy),
  });
  return { totals: totals.data, groupTotals: groupBy ? groups.data : undefined };
};
