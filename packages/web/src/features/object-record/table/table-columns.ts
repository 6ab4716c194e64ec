import type { VisibilityState } from '@tanstack/react-table';

/** Where the hidden columns of an object's table are remembered (per browser). */
export const hiddenColumnsKey = (object: string) => `rapport.table.${object}.hidden`;

/** The column visibility for the stored list of hidden column ids; anything unreadable hides nothing. */
export const parseHiddenColumns = (stored: string | null): VisibilityState => {
  if (!stored) return {};
  try {
    const ids: unknown = JSON.parse(stored);
    return Array.isArray(ids) ? Object.fromEntries(ids.filter((id): id is string => typeof id === 'string').map((id) => [id, false])) : {};
  } catch {
    return {};
  }
};
