import type { ObjectDefinition, ViewType } from '@rapport/common';
import { hasCalendar } from '../calendar/calendar-model.ts';
import { groupFieldsOf } from '../kanban/kanban-model.ts';

export type ViewMode = ViewType;

/** Where the chosen view of each object is remembered (per browser). */
export const viewModeKey = (object: string) => `rapport.view.${object}`;

/** The view to show: the remembered one when the object allows it (`objects` name the targets of its relations), else the table. */
export const resolveViewMode = (object: ObjectDefinition, stored: string | null, objects: readonly ObjectDefinition[] = []): ViewMode =>
  availableViewModes(object, objects).find((mode) => mode === stored) ?? 'table';

/** The views an object offers: always a table, a board with a field to group by, a calendar with a date field. */
export const availableViewModes = (object: ObjectDefinition, objects: readonly ObjectDefinition[] = []): ViewMode[] => [
  'table',
  ...(groupFieldsOf(object, objects).length > 0 ? (['kanban'] as const) : []),
  ...(hasCalendar(object) ? (['calendar'] as const) : []),
];

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

/** Where the calendar's fields and mode are remembered: JSON (`CalendarSettings`), or nothing for the object's default. */
export const calendarSettingsKey = (object: string) => `${viewModeKey(object)}.calendar`;
