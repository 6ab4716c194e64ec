import { paths } from '../metadata.ts';

/** The object's trash page (lazy-loaded: linking to it loads none of it). */
export const trashPath = (object: string) => `${paths.list(object)}/trash`;

/** Days a record stays in the trash before the daily purge removes it for good (the server's RETENTION_DAYS). */
export const TRASH_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whole days left before the purge may remove a record trashed at `deletedAt`: 30 just after the
 * delete, 1 on its last day, 0 once it is due (the next daily run removes it).
 */
export const daysLeft = (deletedAt: string, now: Date = new Date()): number => {
  const elapsed = now.getTime() - new Date(deletedAt).getTime();
  if (Number.isNaN(elapsed)) return TRASH_DAYS;
  return Math.min(TRASH_DAYS, Math.max(0, Math.ceil((TRASH_DAYS * DAY_MS - elapsed) / DAY_MS)));
};
