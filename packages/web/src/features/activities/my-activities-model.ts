import type { Filter } from '@rapport/common';

/** Where an open task stands for the person it is assigned to, by their own calendar day. */
export type TaskBucket = 'overdue' | 'today' | 'upcoming' | 'someday';

export const TASK_BUCKETS: readonly TaskBucket[] = ['overdue', 'today', 'upcoming', 'someday'];

/** Midnight starting the local day of `now` and the next one (a DST day is 23 or 25 hours long). */
export const localDayOf = (now: Date): { start: Date; end: Date } => {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { start, end };
};

/**
 * Overdue: due before now. Today: due later today. Upcoming: due on a later day. Someday: no due time.
 * A task due at 09:00 is overdue at 10:00 the same day: what is late is the time, not the day.
 */
export const taskBucketOf = (dueAt: unknown, now: Date): TaskBucket => {
  if (typeof dueAt !== 'string') return 'someday';
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return 'someday';
  if (due < now.getTime()) return 'overdue';
  return due < localDayOf(now).end.getTime() ? 'today' : 'upcoming';
};

/** Open tasks grouped by bucket, each group in the order given (the API sorts them by due time). */
export const bucketTasks = <T extends Record<string, unknown>>(tasks: readonly T[], now: Date): Record<TaskBucket, T[]> => {
  const buckets: Record<TaskBucket, T[]> = { overdue: [], today: [], upcoming: [], someday: [] };
  for (const task of tasks) buckets[taskBucketOf(task.dueAt, now)].push(task);
  return buckets;
};

/** The open tasks assigned to `userId`. */
export const myOpenTasksFilter = (userId: string): Filter => ({
  and: [
    { field: 'assignee', op: 'eq', value: userId },
    { field: 'status', op: 'neq', value: 'done' },
  ],
});

/**
 * The meetings on `userId`'s calendar from the start of today for `days` days: those they organise and those they are
 * invited to as a colleague (`userAttendees`, a list of user ids).
 */
export const myMeetingsFilter = (userId: string, now: Date, days: number): Filter => {
  const { start } = localDayOf(now);
  const until = new Date(start.getFullYear(), start.getMonth(), start.getDate() + days);
  return {
    and: [
      { or: [{ field: 'owner', op: 'eq', value: userId }, { field: 'userAttendees', op: 'contains', value: userId }] },
      { field: 'start', op: 'gte', value: start.toISOString() },
      { field: 'start', op: 'lt', value: until.toISOString() },
      { field: 'status', op: 'neq', value: 'cancelled' },
    ],
  };
};

/** The calls `userId` made or took in the last `days` days. */
export const myRecentCallsFilter = (userId: string, days: number): Filter => ({
  and: [
    { field: 'owner', op: 'eq', value: userId },
    { field: 'startedAt', op: 'inLastDays', value: days },
  ],
});
