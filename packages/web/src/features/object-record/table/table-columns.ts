import type { VisibilityState } from '@tanstack/react-table';

/** Where the hidden columns of an object's table are remembered (per browser). */
export const hiddenColumnsKey = (object: string) => `rapport.table.${object}.hidden`;

/** The column visibility for the stored list of hidden column ids; anything unreadable hides nothing. */
export const parseHiddenColumns = (stored: string | null, hiddenByDefault: readonly string[] = []): VisibilityState => {
  if (!stored) return Object.fromEntries(hiddenByDefault.map((id) => [id, false]));
  try {
    const ids: unknown = JSON.parse(stored);
    return Array.isArray(ids) ? Object.fromEntries(ids.filter((id): id is string => typeof id === 'string').map((id) => [id, false])) : {};
  } catch {
    return {};
  }
};

/** The order and widths of an object's table columns, as the page shows them (a view's, or the person's own). */
export interface ColumnLayout {
  /** Column ids (field names) in display order; columns not listed follow in their default order. */
  order: string[];
  /** Pixels per column id; the table's default for the others. */
  widths: Record<string, number>;
}

/** What the API accepts for a column width (views.schemas.ts). */
export const MIN_COLUMN_WIDTH = 60;
export const MAX_COLUMN_WIDTH = 2000;

export const columnLayoutKey = (object: string) => `rapport.table.${object}.layout`;

export const clampColumnWidth = (width: number) => Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));

/** The stored layout; anything unreadable is the default layout. */
export const parseColumnLayout = (stored: string | null): ColumnLayout => {
  try {
    const value: unknown = stored ? JSON.parse(stored) : undefined;
    if (!value || typeof value !== 'object') return { order: [], widths: {} };
    const { order, widths } = value as { order?: unknown; widths?: unknown };
    return {
      order: Array.isArray(order) ? order.filter((id): id is string => typeof id === 'string') : [],
      widths:
        widths && typeof widths === 'object'
          ? Object.fromEntries(Object.entries(widths).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])).map(([id, width]) => [id, clampColumnWidth(width)]))
          : {},
    };
  } catch {
    return { order: [], widths: {} };
  }
};

/** A saved view's columns as a layout. */
export const layoutOfColumns = (columns: readonly { field: string; width?: number | undefined }[]): ColumnLayout => ({
  order: columns.map((column) => column.field),
  widths: Object.fromEntries(columns.filter((column) => column.width !== undefined).map((column) => [column.field, column.width!])),
});

/** The columns in display order: the listed ones that still exist, then the others in their default order. */
export const orderColumns = (defaults: readonly string[], order: readonly string[]): string[] => {
  const known = new Set(defaults);
  const listed = [...new Set(order.filter((id) => known.has(id)))];
  const placed = new Set(listed);
  return [...listed, ...defaults.filter((id) => !placed.has(id))];
};

/** Moves one column left (`-1`) or right (`1`) among `order`, skipping none; the ends stay put. */
export const moveColumn = (order: readonly string[], id: string, offset: -1 | 1): string[] => {
  const from = order.indexOf(id);
  const to = from + offset;
  if (from < 0 || to < 0 || to >= order.length) return [...order];
  const next = [...order];
  next.splice(from, 1);
  next.splice(to, 0, id);
  return next;
};

/** Moves `id` to where `over` is (a drag and drop). */
export const moveColumnTo = (order: readonly string[], id: string, over: string): string[] => {
  const from = order.indexOf(id);
  const to = order.indexOf(over);
  if (from < 0 || to < 0 || from === to) return [...order];
  const next = [...order];
  next.splice(from, 1);
  next.splice(to, 0, id);
  return next;
};
