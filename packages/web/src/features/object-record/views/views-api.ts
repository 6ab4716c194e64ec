import type { Favourite, SavedView, SavedViewInput } from '@rapport/common';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';

export const viewKeys = {
  all: ['views'] as const,
  favourites: ['favourites'] as const,
};

/** Every view the caller sees (shared ones and their own), in position order. */
export const useViews = () =>
  useQuery({
    queryKey: viewKeys.all,
    queryFn: ({ signal }) => api.get<{ data: SavedView[] }>('/views', undefined, signal),
    select: (result) => result.data,
    staleTime: 30_000,
  });

export const favouritesQuery = queryOptions({
  queryKey: viewKeys.favourites,
  queryFn: async ({ signal }) => (await api.get<{ data: Favourite[] }>('/favourites', undefined, signal)).data,
  staleTime: 30_000,
});

/** The caller's pinned views and records; empty for a caller without favourites (a key without a user). */
export const useFavourites = () => useQuery(favouritesQuery);

/** Puts the caller's favourites in this order (`PUT /favourites/order`); answers them in their new order. */
export const saveFavouriteOrder = async (ids: readonly string[]): Promise<Favourite[]> => (await api.put<{ data: Favourite[] }>('/favourites/order', { ids })).data;

const useInvalidate = () => {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: viewKeys.all }), queryClient.invalidateQueries({ queryKey: viewKeys.favourites })]);
};

export const useViewMutations = () => {
  const invalidate = useInvalidate();
  return {
    create: useMutation({
      mutationFn: (input: SavedViewInput & { object: string; name: string }) => api.post<SavedView>('/views', input),
      onSuccess: invalidate,
    }),
    update: useMutation({
      mutationFn: ({ id, ...patch }: SavedViewInput & { id: string }) => api.patch<SavedView>(`/views/${encodeURIComponent(id)}`, patch),
      onSuccess: invalidate,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete<void>(`/views/${encodeURIComponent(id)}`),
      onSuccess: invalidate,
    }),
  };
};

export type FavouriteTarget = { viewId: string } | { object: string; recordId: string };

export const findFavourite = (favourites: readonly Favourite[] | undefined, target: FavouriteTarget): Favourite | undefined =>
  favourites?.find((favourite) =>
    'viewId' in target
      ? favourite.kind === 'view' && favourite.view.id === target.viewId
      : favourite.kind === 'record' && favourite.record.object === target.object && favourite.record.id === target.recordId,
  );

export const useFavouriteMutations = () => {
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: viewKeys.favourites });
  return {
    add: useMutation({ mutationFn: (target: FavouriteTarget) => api.post<Favourite>('/favourites', target), onSuccess: invalidate }),
    remove: useMutation({ mutationFn: (id: string) => api.delete<void>(`/favourites/${encodeURIComponent(id)}`), onSuccess: invalidate }),
  };
};
