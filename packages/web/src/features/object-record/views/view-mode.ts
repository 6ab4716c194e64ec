import type { ObjectDefinition } from '@rapport/common';
import { groupFieldsOf } from '../kanban/kanban-model.ts';

export type ViewMode = 'table' | 'kanban';

/** Where the chosen view of each object is remembered (per browser). */
export const viewModeKey = (object: string) => `rapport.view.${object}`;

/** The view to show: the remembered one when the object allows it (`objects` name the targets of its relations), else the table. */
export const resolveViewMode = (object: ObjectDefinition, stored: string | null, objects: readonly ObjectDefinition[] = []): ViewMode =>
  stored === 'kanban' && groupFieldsOf(object, objects).length > 0 ? 'kanban' : 'table';

const storage = (): Storage | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
};

export const readStored = (key: string): string | null => storage()?.getItem(key) ?? null;
export const writeStored = (key: string, value: string | null) => {
  const store = storage();
  if (!store) return;
  if (value === null) store.removeItem(key);
  else store.setItem(key, value);
};

/** Where the fields of the board's cards are remembered: a JSON list, or nothing for the board's default. */
export const cardFieldsKey = (object: string) => `${viewModeKey(object)}.cardFields`;

/** The remembered card fields, or null (the default) when there are none or they cannot be read. */
export const parseCardFields = (stored: string | null): string[] | null => {
  try {
    const value: unknown = stored ? JSON.parse(stored) : null;
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : null;
  } catch {
    return null;
  }
};
