import type { Favourite } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { positionOf, reorderFavourites } from './favourites-order.ts';

const record = (id: string, label: string): Favourite => ({ id, kind: 'record', position: 0, record: { object: 'opportunity', id: `r-${id}`, label } });
const list = [record('a', 'Alpha'), record('b', 'Beta'), { id: 'c', kind: 'view', position: 2, view: { id: 'v', object: 'company', name: 'Big ones', type: 'table' } } satisfies Favourite];

describe('reorderFavourites', () => {
  it('should put the dragged favourite at the place of the one it is dropped on', () => {
    expect(reorderFavourites(list, 'c', 'a')!.map((favourite) => favourite.id)).toEqual(['c', 'a', 'b']);
    expect(reorderFavourites(list, 'a', 'b')!.map((favourite) => favourite.id)).toEqual(['b', 'a', 'c']);
    expect(reorderFavourites(list, 'a', 'c')!.map((favourite) => favourite.id)).toEqual(['b', 'c', 'a']);
  });

  it('should move nothing when dropped on itself, outside the list, or for an unknown id', () => {
    expect(reorderFavourites(list, 'b', 'b')).toBeUndefined();
    expect(reorderFavourites(list, 'b', undefined)).toBeUndefined();
    expect(reorderFavourites(list, 'x', 'a')).toBeUndefined();
  });

  it('should give 1-based positions for announcements', () => {
    expect(positionOf(list, 'c')).toBe(3);
    expect(positionOf(list, 'x')).toBe(0);
  });
});
