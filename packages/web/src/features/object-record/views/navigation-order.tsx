import type { NavigationOrder, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Tooltip } from '@mantine/core';
import { IconArrowsSort } from '@tabler/icons-react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useObjects } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useLabels } from '../labels.ts';
import { ReorderModal } from './reorder-modal.tsx';
import { saveFavouriteOrder, useFavourites, viewKeys } from './views-api.ts';

const navigationKey = ['navigation'] as const;

export const navigationQuery = queryOptions({
  queryKey: navigationKey,
  queryFn: ({ signal }) => api.get<NavigationOrder>('/navigation', undefined, signal),
  staleTime: 60_000,
});

/** The workspace's objects in the navigation order an administrator set (`GET /navigation`). */
export const useOrderedObjects = () => {
  const objects = useObjects();
  const order = useQuery(navigationQuery);
  // Until the order is known the list waits (one request alongside the objects'), so it does not jump.
  const isOrderKnown = order.isSuccess || order.isError;
  const data = useMemo(() => {
    if (!objects.data || !isOrderKnown) return undefined;
    const rank = new Map((order.data?.objects ?? []).map((name, index) => [name, index]));
    return [...objects.data].sort((a, b) => (rank.get(a.name) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.name) ?? Number.MAX_SAFE_INTEGER));
  }, [objects.data, order.data, isOrderKnown]);
  return { ...objects, data, isLoading: objects.isLoading || order.isLoading };
};

const ReorderButton = ({ label, onClick }: { label: string; onClick(): void }) => (
  <Tooltip label={label} withinPortal>
    <ActionIcon variant="subtle" color="gray" size="sm" aria-label={label} onClick={onClick}>
      <IconArrowsSort size={14} aria-hidden />
    </ActionIcon>
  </Tooltip>
);

/** Administrators: puts the navigation's objects in order for everyone (`PUT /navigation`). */
export const ObjectsOrderButton = ({ standard, custom }: { standard: readonly ObjectDefinition[]; custom: readonly ObjectDefinition[] }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const save = useMutation({
    mutationFn: (objects: string[]) => api.put<NavigationOrder>('/navigation', { objects }),
    onSuccess: (order) => {
      queryClient.setQueryData(navigationKey, order);
      notify({ message: t('tableExtras.reorder.saved') });
    },
  });
  const itemsOf = (list: readonly ObjectDefinition[]) => list.map((object) => ({ id: object.name, label: labels.objectPlural(object) }));
  return (
    <>
      <ReorderButton label={t('tableExtras.reorder.reorderObjects')} onClick={() => setIsOpen(true)} />
      {isOpen ? (
        <ReorderModal
          title={t('tableExtras.reorder.objectsTitle')}
          description={t('tableExtras.reorder.objectsHelp')}
          sections={[
            { key: 'standard', title: t('shell.objects'), items: itemsOf(standard) },
            ...(custom.length > 0 ? [{ key: 'custom', title: t('shell.customObjects'), items: itemsOf(custom) }] : []),
          ]}
          onSave={(sections) => save.mutateAsync(sections.flatMap((section) => section.items.map((item) => item.id)))}
          onClose={() => setIsOpen(false)}
        />
      ) : null}
    </>
  );
};

/** Puts the person's favourites in order (`PUT /favourites/order`). */
export const FavouritesOrderButton = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const favourites = useFavourites();
  const [isOpen, setIsOpen] = useState(false);
  const list = favourites.data ?? [];
  if (list.length < 2) return null;
  return (
    <>
      <ReorderButton label={t('tableExtras.reorder.reorderFavourites')} onClick={() => setIsOpen(true)} />
      {isOpen ? (
        <ReorderModal
          title={t('tableExtras.reorder.favouritesTitle')}
          description={t('tableExtras.reorder.favouritesHelp')}
          sections={[{ key: 'favourites', items: list.map((favourite) => ({ id: favourite.id, label: favourite.kind === 'view' ? favourite.view.name : favourite.record.label || t('fieldValue.untitled') })) }]}
          onSave={async (sections) => {
            queryClient.setQueryData(viewKeys.favourites, await saveFavouriteOrder(sections[0]!.items.map((item) => item.id)));
            notify({ message: t('tableExtras.reorder.saved') });
          }}
          onClose={() => setIsOpen(false)}
        />
      ) : null}
    </>
  );
};
