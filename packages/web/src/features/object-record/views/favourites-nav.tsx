import type { Favourite } from '@rapport/common';
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent, type Modifier } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Group, NavLink, Text } from '@mantine/core';
import { IconGripVertical, IconStar } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
// Plain links: react-router's NavLink matches the path only; which favourite is current depends on `?view=` too.
import { Link, useLocation } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { notify } from '../../../components/ui/notify.ts';
import { paths } from '../metadata.ts';
import classes from './favourites-nav.module.css';
import { positionOf, reorderFavourites } from './favourites-order.ts';
import { FavouritesOrderButton } from './navigation-order.tsx';
import { saveFavouriteOrder, useFavourites, viewKeys } from './views-api.ts';

const viewPath = (object: string, id: string) => `${paths.list(object)}?view=${encodeURIComponent(id)}`;

// A favourite moves up and down only, and within its list (not over the heading or the objects below).
const alongTheList: Modifier = ({ transform, draggingNodeRect, containerNodeRect }) => {
  if (!draggingNodeRect || !containerNodeRect) return { ...transform, x: 0 };
  const up = containerNodeRect.top - draggingNodeRect.top;
  const down = containerNodeRect.bottom - draggingNodeRect.bottom;
  return { ...transform, x: 0, y: Math.min(Math.max(transform.y, up), down) };
};

interface FavouriteLink {
  favourite: Favourite;
  to: string;
  label: string;
}

const FavouriteItem = ({ item, isActive, onNavigate }: { item: FavouriteLink; isActive: boolean; onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: item.favourite.id,
    attributes: { roleDescription: t('favouritesNav.roleDescription') },
  });
  return (
    <li ref={setNodeRef} className={classes.item} data-dragging={isDragging || undefined} style={{ transform: CSS.Translate.toString(transform), transition }}>
      <Group gap={2} wrap="nowrap">
        <NavLink
          component={Link}
          to={item.to}
          label={item.label}
          leftSection={<IconStar size={16} aria-hidden />}
          active={isActive}
          aria-current={isActive ? 'page' : undefined}
          onClick={onNavigate}
          variant="light"
          className={classes.link}
        />
        <ActionIcon
          ref={setActivatorNodeRef}
          variant="subtle"
          color="gray"
          size="sm"
          className={classes.handle}
          aria-label={t('tableExtras.reorder.drag', { name: item.label })}
          {...attributes}
          {...listeners}
        >
          <IconGripVertical size={14} aria-hidden />
        </ActionIcon>
      </Group>
    </li>
  );
};

/**
 * The person's pinned views and records, in their order; nothing while there are none. Each one is
 * dragged by its handle (pointer, or the keyboard: Space, arrows, Space) to a new place, saved at once
 * with `PUT /favourites/order`; the heading's button opens the same order as a dialog with arrows.
 */
export const FavouritesNav = ({ onNavigate }: { onNavigate?: (() => void) | undefined }) => {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const favourites = useFavourites();
  const list = useMemo(() => favourites.data ?? [], [favourites.data]);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));

  const save = useMutation({
    mutationFn: (next: Favourite[]) => saveFavouriteOrder(next.map((favourite) => favourite.id)),
    // The list shows the new order at once; a refusal puts the old one back.
    onMutate: async (next) => {
      await queryClient.cancelQueries({ queryKey: viewKeys.favourites });
      const previous = queryClient.getQueryData<Favourite[]>(viewKeys.favourites);
      queryClient.setQueryData(viewKeys.favourites, next);
      return { previous };
    },
    onError: (error, _next, context) => {
      if (context?.previous) queryClient.setQueryData(viewKeys.favourites, context.previous);
      notify({ color: 'red', message: problemMessage(t, error) });
    },
    onSuccess: (saved) => queryClient.setQueryData(viewKeys.favourites, saved),
  });

  const items = useMemo(
    () =>
      list.map((favourite): FavouriteLink => ({
        favourite,
        to: favourite.kind === 'view' ? viewPath(favourite.view.object, favourite.view.id) : paths.record(favourite.record.object, favourite.record.id),
        label: favourite.kind === 'view' ? favourite.view.name : favourite.record.label || t('fieldValue.untitled'),
      })),
    [list, t],
  );

  const labelOf = (id: string | number) => items.find((item) => item.favourite.id === id)?.label ?? '';
  const count = items.length;
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('favouritesNav.pickedUp', { name: labelOf(active.id), position: positionOf(list, active.id), count }),
    onDragOver: ({ active, over }) => (over ? t('favouritesNav.movedOver', { name: labelOf(active.id), position: positionOf(list, over.id), count }) : undefined),
    onDragEnd: ({ active, over }) => t('favouritesNav.dropped', { name: labelOf(active.id), position: positionOf(list, over?.id ?? active.id), count }),
    onDragCancel: ({ active }) => t('favouritesNav.cancelled', { name: labelOf(active.id), position: positionOf(list, active.id), count }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const next = reorderFavourites(list, String(active.id), over ? String(over.id) : undefined);
    if (next) save.mutate(next);
  };

  if (list.length === 0) return null;
  const here = `${location.pathname}${location.search}`;
  return (
    <div>
      <Group justify="space-between" wrap="nowrap" pr={4} mb={4}>
        <Text id="favourites-heading" size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" component="h2" m={0}>
          {t('savedViews.favourites')}
        </Text>
        <FavouritesOrderButton />
      </Group>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        modifiers={[alongTheList]}
        onDragEnd={onDragEnd}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('favouritesNav.instructions') } }}
      >
        <SortableContext items={items.map((item) => item.favourite.id)} strategy={verticalListSortingStrategy}>
          <ul className={classes.list} aria-labelledby="favourites-heading">
            {items.map((item) => (
              <FavouriteItem key={item.favourite.id} item={item} isActive={here === item.to} onNavigate={onNavigate} />
            ))}
          </ul>
        </SortableContext>
      </DndContext>
    </div>
  );
};
