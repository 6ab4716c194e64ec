import type { Filter, SortSpec } from './filter.ts';

/** Saved views: a named table or board of one object, private to its owner or shared with everyone who reads the object. */
export const VIEW_TYPES = ['table', 'kanban'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

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
