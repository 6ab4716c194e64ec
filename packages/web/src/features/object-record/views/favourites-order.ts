import type { Favourite } from '@rapport/common';
import { arrayMove } from '@dnd-kit/sortable';

/**
 * The favourites after one is dropped on another's place (dnd-kit's `active` and `over`), or undefined
 * when nothing moves (dropped on itself, outside the list, or an id the list does not hold).
 */
export const reorderFavourites = (list: readonly Favourite[], activeId: string, overId: string | undefined): Favourite[] | undefined => {
  const from = list.findIndex((favourite) => favourite.id === activeId);
  const to = overId === undefined ? -1 : list.findIndex((favourite) => favourite.id === overId);
  if (from < 0 || to < 0 || from === to) return undefined;
  return arrayMove([...list], from, to);
};

/** 1-based place of a favourite in the list, for announcements ("position 2 of 5"). */
export const positionOf = (list: readonly Favourite[], id: string | number | undefined): number => list.findIndex((favourite) => favourite.id === id) + 1;
