import type { Filter, Segment, SegmentInput, SegmentKind } from '@rapport/common';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { queryKeys } from '../../api/queries.ts';

export const segmentKeys = { all: ['segments'] as const };

/** Every segment the caller sees (shared ones and their own), by name. */
export const useSegments = () =>
  useQuery({
    queryKey: segmentKeys.all,
    queryFn: ({ signal }) => api.get<{ data: Segment[] }>('/segments', undefined, signal),
    select: (result) => result.data,
    staleTime: 30_000,
  });

export interface MembershipChange {
  changed: number;
  memberCount: number;
}

export const useSegmentMutations = (object: string) => {
  const queryClient = useQueryClient();
  const invalidate = () => Promise.all([queryClient.invalidateQueries({ queryKey: segmentKeys.all }), queryClient.invalidateQueries({ queryKey: queryKeys.records(object) })]);
  return {
    create: useMutation({
      mutationFn: (input: SegmentInput & { name: string; kind: SegmentKind }) => api.post<Segment>('/segments', { ...input, object }),
      onSuccess: invalidate,
    }),
    update: useMutation({
      mutationFn: ({ id, ...patch }: SegmentInput & { id: string }) => api.patch<Segment>(`/segments/${encodeURIComponent(id)}`, patch),
      onSuccess: invalidate,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete<void>(`/segments/${encodeURIComponent(id)}`),
      onSuccess: invalidate,
    }),
    addMembers: useMutation({
      mutationFn: ({ id, ...body }: { id: string; ids?: string[]; filter?: Filter }) => api.post<MembershipChange>(`/segments/${encodeURIComponent(id)}/members`, body),
      onSuccess: invalidate,
    }),
    removeMembers: useMutation({
      mutationFn: ({ id, ids }: { id: string; ids: string[] }) => api.post<MembershipChange>(`/segments/${encodeURIComponent(id)}/members/remove`, { ids }),
      onSuccess: invalidate,
    }),
  };
};

/** Who may change a segment: its owner, or an administrator when it is shared. */
export const canChangeSegment = (segment: Segment, user: { id: string; isAdmin?: boolean } | undefined): boolean =>
  Boolean(user && (segment.ownerId === user.id || (segment.visibility === 'shared' && user.isAdmin === true)));
