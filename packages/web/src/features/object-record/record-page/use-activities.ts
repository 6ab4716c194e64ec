import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { RecordPage } from '../../../api/types.ts';

/** The notes or tasks linked to a record through `link` (the activities panel's tabs), 50 at most. */
export const useActivities = (activity: string, link: string | undefined, recordId: string, sort: string) =>
  useQuery({
    queryKey: [...queryKeys.records(activity), 'activities', link, recordId, sort],
    queryFn: ({ signal }) =>
      api.get<RecordPage>(`/records/${activity}`, { filter: JSON.stringify({ field: link, op: 'eq', value: recordId }), sort, limit: 50 }, signal),
    enabled: Boolean(link),
  });
