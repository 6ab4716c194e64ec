import type { ObjectDefinition } from '@rapport/common';
import { useQueries } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { useObjects } from '../../../api/queries.ts';
import type { RecordPage } from '../../../api/types.ts';
import { findObject, recordTitleOf } from '../metadata.ts';
import { relationIdsOf, type FilterItem, type FilterTarget } from './filter-model.ts';

/** Titles of the records relation conditions name, so a condition reads "Company is Acme", not an id. */
export const useRelationTitles = (targets: readonly FilterTarget[], items: readonly FilterItem[]): ReadonlyMap<string, string> => {
  const objects = useObjects().data ?? [];
  const wanted = [...relationIdsOf(targets, items)];
  const results = useQueries({
    queries: wanted.map(([name, ids]) => ({
      queryKey: ['records', name, 'titles', ids],
      staleTime: 60_000,
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.post<RecordPage>(`/records/${encodeURIComponent(name)}/query`, { filter: { field: 'id', op: 'in', value: ids }, limit: ids.length }, { signal }),
    })),
  });
  const titles = new Map<string, string>();
  results.forEach((result, index) => {
    const related: ObjectDefinition | undefined = findObject(objects, wanted[index]![0]);
    for (const record of result.data?.data ?? []) {
      const title = recordTitleOf(related, record);
      if (title) titles.set(record.id, title);
    }
  });
  return titles;
};
