import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { Filter, RecordPage } from '../../../api/types.ts';

const encode = encodeURIComponent;
const PAGE_SIZE = 50;

/** Under the object's record keys: a delete or a restore anywhere refreshes the trash too. */
export const trashKey = (object: string) => [...queryKeys.records(object), 'trash'] as const;

/** The object's trash (`deleted: true`), most recently deleted first, page after page. */
export const useTrashPages = ({ object, filter, enabled }: { object: string; filter: Filter | undefined; enabled: boolean }) =>
  useInfiniteQuery({
    queryKey: [...trashKey(object), { filter }],
    queryFn: ({ pageParam, signal }) =>
      api.post<RecordPage>(
        `/records/${encode(object)}/query`,
        { deleted: true, sort: ['-deletedAt'], limit: PAGE_SIZE, count: true, ...(filter ? { filter } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.nextCursor : undefined),
    enabled,
  });

export interface RestoreOutcome {
  restored: string[];
  failed: { id: string; error: unknown }[];
}

/**
 * Restores each record (`POST …/restore`); one refused (e.g. 409: its unique value is taken now) does not stop the
 * others. The trash page and the table's Undo after a delete both restore through it.
 */
export const restoreRecords = async (object: string, ids: readonly string[]): Promise<RestoreOutcome> => {
  const results = await Promise.allSettled(ids.map((id) => api.post(`/records/${encode(object)}/${encode(id)}/restore`)));
  const outcome: RestoreOutcome = { restored: [], failed: [] };
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') outcome.restored.push(ids[index]!);
    else outcome.failed.push({ id: ids[index]!, error: result.reason as unknown });
  });
  return outcome;
};
