import type { ObjectDefinition } from '@rapport/common';
import { hashKey, infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { ApiRecord, Filter, HistoryPage, RecordPage, SearchHit } from './types.ts';

export const queryKeys = {
  objects: ['metadata', 'objects'] as const,
  records: (object: string) => ['records', object] as const,
  record: (object: string, id: string) => ['records', object, 'one', id] as const,
  history: (object: string, id: string) => ['records', object, 'history', id] as const,
  search: (q: string) => ['search', q] as const,
  users: ['users'] as const,
};

const encode = encodeURIComponent;

export const objectsQuery = queryOptions({
  queryKey: queryKeys.objects,
  queryFn: ({ signal }) => api.get<{ data: ObjectDefinition[] }>('/metadata/objects', undefined, signal),
  staleTime: 60_000,
});

/** Every object of the workspace with its fields (standard and custom). */
export const useObjects = () => useQuery({ ...objectsQuery, select: (result) => result.data });

export interface ListOptions {
  object: string;
  filter?: Filter | undefined;
  sort?: string[];
  include?: string[];
  /** Only the records of this segment. */
  segment?: string | undefined;
  pageSize?: number;
  enabled?: boolean;
}

/** Pages of records through `POST /records/{object}/query`, following the keyset cursor (a list's query, or its prefetch). */
export const recordPagesQuery = ({ object, filter, sort, include, segment, pageSize = 100 }: Omit<ListOptions, 'enabled'>) =>
  infiniteQueryOptions({
    queryKey: [...queryKeys.records(object), 'list', { filter, sort, include, segment, pageSize }],
    queryFn: ({ pageParam, signal }) =>
      api.post<RecordPage>(
        `/records/${encode(object)}/query`,
        { limit: pageSize, count: true, ...(filter ? { filter } : {}), ...(segment ? { segment } : {}), ...(sort?.length ? { sort } : {}), ...(include?.length ? { include } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page: RecordPage) => (page.pageInfo.hasNextPage ? page.pageInfo.nextCursor : undefined),
  });

/** Lists asked for ahead (a saved view's link pressed), by query hash: when. */
const prefetchedAt = new Map<string, number>();
/** How long a list asked for ahead is taken as it is by the page that mounts with it. */
const PREFETCH_FRESH_MS = 5_000;

/** A list asked for ahead of its page: the page mounting with it shows it without reading it again. */
export const prefetchRecordPages = (queryClient: QueryClient, options: Omit<ListOptions, 'enabled'>) => {
  const query = recordPagesQuery(options);
  prefetchedAt.set(hashKey(query.queryKey), Date.now());
  // Asked for already (the page got there first, or a link pressed twice): read again only when older than this.
  return queryClient.prefetchInfiniteQuery({ ...query, staleTime: PREFETCH_FRESH_MS });
};

export const useRecordPages = ({ enabled = true, ...options }: ListOptions) =>
  useInfiniteQuery({
    ...recordPagesQuery(options),
    placeholderData: keepPreviousData,
    enabled,
    // Read again when stale, as any query (on mount, or when the page switches to it), except a list asked for ahead
    // moments ago: fresh for a few seconds, unless a change invalidated it.
    staleTime: (query) => {
      const at = prefetchedAt.get(query.queryHash);
      return at !== undefined && Date.now() - at < PREFETCH_FRESH_MS ? PREFETCH_FRESH_MS : 0;
    },
  });

export const useRecord = ({ object, id, include }: { object: string; id: string; include?: string[] }) =>
  useQuery({
    queryKey: [...queryKeys.record(object, id), include ?? []],
    queryFn: ({ signal }) => api.get<ApiRecord>(`/records/${encode(object)}/${encode(id)}`, include?.length ? { include: include.join(',') } : undefined, signal),
  });

export const useRecordHistory = ({ object, id }: { object: string; id: string }) =>
  useInfiniteQuery({
    queryKey: queryKeys.history(object, id),
    queryFn: ({ pageParam, signal }) =>
      api.get<HistoryPage>(`/records/${encode(object)}/${encode(id)}/history`, { limit: 50, ...(pageParam !== null ? { before: pageParam } : {}) }, signal),
    initialPageParam: null as string | number | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage && page.pageInfo.nextBefore !== null ? page.pageInfo.nextBefore : undefined),
  });

/** Global search across objects; nothing is asked for an empty query. */
export const useSearch = (q: string, objects?: string[]) =>
  useQuery({
    queryKey: [...queryKeys.search(q), objects ?? []],
    queryFn: ({ signal }) =>
      api.get<{ data: SearchHit[] }>('/search', { q, limit: 10, ...(objects?.length ? { objects: objects.join(',') } : {}) }, signal),
    select: (result) => result.data,
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

export interface WorkspaceUser {
  id: string;
  name?: string | null;
  email?: string | null;
}

/** Every member of the workspace: `GET /users` page after page (`pageInfo.nextAfter`). */
export const fetchAllUsers = async <T extends WorkspaceUser>(signal?: AbortSignal): Promise<T[]> => {
  const users: T[] = [];
  let after: string | undefined;
  do {
    const page = await api.get<{ data: T[]; pageInfo?: { nextAfter?: string | null } }>('/users', { limit: 1000, after }, signal);
    users.push(...page.data);
    after = page.pageInfo?.nextAfter ?? undefined;
  } while (after);
  return users;
};

export const usersQuery = queryOptions({
  queryKey: queryKeys.users,
  queryFn: async ({ signal }) => {
    try {
      return await fetchAllUsers(signal);
    } catch {
      return [] as WorkspaceUser[];
    }
  },
  staleTime: 60_000,
});

/** Users of the workspace, for owner fields; an empty list when the caller may not list them. */
export const useUsers = () => useQuery(usersQuery);

/** A section of a record-page layout (`GET /metadata/objects/{object}/layout`). */
export interface LayoutSection {
  title: string;
  columns: 1 | 2;
  fields: string[];
}

export interface ObjectLayout {
  sections: LayoutSection[];
  isDefault: boolean;
  updatedAt: string | null;
}

export const layoutQueryKey = (object: string) => ['metadata', 'layout', object] as const;

/** The record-page layout of an object as the caller may see it. */
export const useObjectLayout = (object: string, enabled = true) =>
  useQuery({
    queryKey: layoutQueryKey(object),
    queryFn: ({ signal }) => api.get<ObjectLayout>(`/metadata/objects/${encode(object)}/layout`, undefined, signal),
    staleTime: 60_000,
    enabled: enabled && object !== '',
  });

/** The workspace's name, branding and defaults (`GET /workspace`). */
export interface WorkspaceSettings {
  id: string;
  name: string;
  logo: string | null;
  primaryColor: string | null;
  defaultCurrency: string;
  locale: string;
  timezone: string;
  updatedAt: string;
}

export const workspaceQueryKey = ['workspace'] as const;

export const workspaceQuery = queryOptions({
  queryKey: workspaceQueryKey,
  queryFn: ({ signal }) => api.get<WorkspaceSettings>('/workspace', undefined, signal),
  staleTime: 5 * 60_000,
});

export const useWorkspaceSettings = (enabled = true) => useQuery({ ...workspaceQuery, enabled });
