import type { ObjectDefinition } from '@rapport/common';
import { groupFieldsOf } from '../kanban/kanban-model.ts';

export type ViewMode = 'table' | 'kanban';

/** Where the chosen view of each object is remembered (per browser). */
export const viewModeKey = (object: string) => `rapport.view.${object}`;

/** The view to show: the remembered one when the object allows it, else the table. */
export const resolveViewMode = (object: ObjectDefinition, stored: string | null): ViewMode =>
  stored === 'kanban' && groupFieldsOf(object).length > 0 ? 'kanban' : 'table';

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
