import type { ObjectDefinition } from '@rapport/common';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { activityBadgesOf, taskBadgeRequestsOf, type ActivityBadge } from './kanban-model.ts';

const NO_BADGES: ReadonlyMap<string, ActivityBadge> = new Map();

/**
 * Overdue and upcoming task badges of the board's cards by record id: the earliest due time of each
 * record's open tasks, in one aggregate request for the cards shown (`POST /records/task/aggregate`).
 * Nothing, and no error, for a caller who cannot read tasks or their due time, or an object tasks do
 * not link to.
 */
export const useActivityBadges = (object: ObjectDefinition, objects: readonly ObjectDefinition[], records: readonly ApiRecord[]): ReadonlyMap<string, ActivityBadge> => {
  const ids = useMemo(() => records.map((record) => record.id), [records]);
  const requests = useMemo(() => taskBadgeRequestsOf(objects, object.name, ids), [objects, object.name, ids]);
  const link = requests?.link;
  const select = useCallback((rows: Record<string, unknown>[]) => activityBadgesOf(rows, link ?? '', Date.now()), [link]);
  const badges = useQuery({
    // Under the tasks' records key: a task changed here or by someone else refreshes the badges.
    queryKey: [...queryKeys.records('task'), 'badges', object.name, ids],
    queryFn: async ({ signal }) => {
      const answers = await Promise.all((requests?.queries ?? []).map((query) => api.post<{ data: Record<string, unknown>[] }>('/records/task/aggregate', query, { signal })));
      return answers.flatMap((answer) => answer.data);
    },
    select,
    enabled: requests !== undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  return (requests && badges.data) || NO_BADGES;
};
