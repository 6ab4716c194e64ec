import type { DuplicateCandidate as CommonDuplicateCandidate, DuplicatePair as CommonDuplicatePair, MergeResult as CommonMergeResult } from '@rapport/common';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ApiRecord } from '../../api/types.ts';

type DuplicateCandidate = CommonDuplicateCandidate<ApiRecord>;
export type DuplicatePair = CommonDuplicatePair<ApiRecord>;
export type MergeResult = CommonMergeResult<ApiRecord>;

const encode = encodeURIComponent;

export const duplicateKeys = {
  all: ['duplicates'] as const,
  check: (object: string, body: Record<string, unknown>) => ['duplicates', 'check', object, body] as const,
  record: (object: string, id: string) => ['duplicates', 'record', object, id] as const,
  pairs: (object: string) => ['duplicates', 'pairs', object] as const,
  preview: (object: string, survivorId: string, mergedId: string) => ['duplicates', 'preview', object, survivorId, mergedId] as const,
};

/** Records like the values being typed in a create form (`POST …/duplicates/check`); off while there is nothing to compare. */
export const useDuplicateCheck = ({ object, body, enabled }: { object: string; body: Record<string, unknown>; enabled: boolean }) =>
  useQuery({
    queryKey: duplicateKeys.check(object, body),
    queryFn: ({ signal }) => api.post<{ data: DuplicateCandidate[] }>(`/records/${encode(object)}/duplicates/check`, body, { signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    select: (result) => result.data,
  });

/** Records like an existing one. */
export const useRecordDuplicates = ({ object, id, enabled = true }: { object: string; id: string; enabled?: boolean }) =>
  useQuery({
    queryKey: duplicateKeys.record(object, id),
    queryFn: ({ signal }) => api.get<{ data: DuplicateCandidate[] }>(`/records/${encode(object)}/${encode(id)}/duplicates`, undefined, signal),
    enabled,
    select: (result) => result.data,
  });

/** Pairs the scheduled scan found, most alike first, page after page. */
export const useDuplicatePairs = (object: string) =>
  useInfiniteQuery({
    queryKey: duplicateKeys.pairs(object),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ data: DuplicatePair[]; nextCursor: string | null }>('/duplicates', { object, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

/** How many related records would move to the survivor, per relation. */
export const useMergePreview = ({ object, survivorId, mergedId }: { object: string; survivorId: string; mergedId: string }) =>
  useQuery({
    queryKey: duplicateKeys.preview(object, survivorId, mergedId),
    queryFn: ({ signal }) => api.post<{ relations: { object: string; field: string; count: number }[] }>(`/records/${encode(object)}/merge/preview`, { survivorId, mergedIds: [mergedId] }, { signal }),
    select: (result) => result.relations,
  });

export const mergeRecords = (object: string, body: { survivorId: string; mergedIds: string[]; values: Record<string, unknown>; survivorVersion: number }) =>
  api.post<MergeResult>(`/records/${encode(object)}/merge`, body);

export const undoMerge = (id: string) => api.post<MergeResult>(`/merges/${encode(id)}/undo`);

export const dismissPair = (id: string) => api.post<{ id: string; dismissedAt: string }>(`/duplicates/${encode(id)}/dismiss`);

export const scanNow = (object: string) => api.post<{ data: { object: string; scanned: number; pairs: number }[] }>('/duplicates/scan', { object });
