import type { Filter, SortSpec } from './filter.ts';

/** Saved views: a named table, board or calendar of one object, private to its owner or shared with everyone who reads the object. */
export const VIEW_TYPES = ['table', 'kanban', 'calendar'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

/** How a calendar view lays its records out; `team` is one row per owner (a planner). */
export const CALENDAR_MODES = ['month', 'week', 'day', 'agenda', 'team'] as const;
export type CalendarMode = (typeof CALENDAR_MODES)[number];

/** Field types a calendar view places its records by (`startField`). */
export const CALENDAR_START_FIELD_TYPES = ['date', 'datetime'] as const;

/** What a calendar view places its records by. */
export interface CalendarSettings {
  /** A date or datetime field: where a record starts. */
  startField: string;
  /** A datetime (or date) field where it ends; else `durationField`, else a record is an instant (or a whole day). */
  endField?: string | null;
  /** A number field: the record's length (seconds when its name ends in `Seconds`, hours in `Hours`, else minutes). */
  durationField?: string | null;
  /** A select field whose choice colours each record. */
  colorField?: string | null;
  mode: CalendarMode;
}

export const VIEW_VISIBILITIES = ['private', 'shared'] as const;
export type ViewVisibility = (typeof VIEW_VISIBILITIES)[number];

/** One column of a table view, in display order. */
export interface ViewColumn {
  field: string;
  /** Pixels; the table's default when absent. */
  width?: number;
  hidden?: boolean;
}

export interface SavedView {
  id: string;
  object: string;
  name: string;
  type: ViewType;
  visibility: ViewVisibility;
  ownerId: string | null;
  filter: Filter | null;
  sort: SortSpec[];
  columns: ViewColumn[];
  groupBy: string | null;
  kanbanField: string | null;
  /** The fields a kanban card shows under its title, in order; null for the board's default. */
  cardFields: string[] | null;
  /** A calendar view's fields and mode; null for other views. */
  calendar: CalendarSettings | null;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export type SavedViewInput = Partial<Omit<SavedView, 'id' | 'ownerId' | 'createdAt' | 'updatedAt'>>;

export type Favourite =
  | { id: string; kind: 'view'; position: number; view: { id: string; object: string; name: string; type: ViewType } }
  | { id: string; kind: 'record'; position: number; record: { object: string; id: string; label: string } };

/** Field types a table can be grouped by. */
export const GROUPABLE_FIELD_TYPES = ['select', 'owner', 'relation', 'boolean'] as const;

/** The workspace's order of objects in the navigation, as the caller sees it (readable objects only). */
export interface NavigationOrder {
  objects: string[];
}
