import { describe, expect, it } from 'vitest';
import { bucketTasks, localDayOf, myMeetingsFilter, taskBucketOf } from './my-activities-model.ts';

describe('my activities', () => {
  const now = new Date(2026, 11, 2, 10, 0); // 2 December 2026, 10:00 local time

  it('should put a task overdue from its due time, not its day', () => {
    expect(taskBucketOf(new Date(2026, 11, 2, 9, 0).toISOString(), now)).toBe('overdue');
    expect(taskBucketOf(new Date(2026, 11, 1, 18, 0).toISOString(), now)).toBe('overdue');
  });

  it('should tell later today from a later day, and a task without due time', () => {
    expect(taskBucketOf(new Date(2026, 11, 2, 23, 59).toISOString(), now)).toBe('today');
    expect(taskBucketOf(new Date(2026, 11, 3, 0, 0).toISOString(), now)).toBe('upcoming');
    expect(taskBucketOf(null, now)).toBe('someday');
    expect(taskBucketOf('not a date', now)).toBe('someday');
  });

  it('should keep the order given inside each bucket', () => {
    const tasks = [
      { id: 'a', dueAt: new Date(2026, 11, 1).toISOString() },
      { id: 'b', dueAt: null },
      { id: 'c', dueAt: new Date(2026, 11, 2, 8).toISOString() },
      { id: 'd', dueAt: new Date(2026, 11, 4).toISOString() },
    ];
    const buckets = bucketTasks(tasks, now);
    expect(Object.fromEntries(Object.entries(buckets).map(([name, list]) => [name, list.map((task) => task.id)]))).toEqual({ overdue: ['a', 'c'], today: [], upcoming: ['d'], someday: ['b'] });
  });

  it('should count days by the calendar, so a day of a clock change is whole', () => {
    // Whatever the machine's zone, the local day runs from one local midnight to the next.
    const { start, end } = localDayOf(new Date(2026, 2, 29, 12, 0));
    expect([start.getHours(), start.getDate(), end.getHours(), end.getDate()]).toEqual([0, 29, 0, 30]);
  });

  it('should ask for my meetings from the start of today, cancelled ones left out', () => {
    const filter = myMeetingsFilter('u1', now, 7) as { and: [{ or: unknown[] }, ...{ field: string; op: string; value: unknown }[]] };
    expect(filter.and[0].or).toEqual([{ field: 'owner', op: 'eq', value: 'u1' }, { field: 'userAttendees', op: 'contains', value: 'u1' }]);
    expect(filter.and.slice(1).map((condition) => `${(condition as { field: string }).field} ${(condition as { op: string }).op}`)).toEqual(['start gte', 'start lt', 'status neq']);
    expect(filter.and[1]!.value).toBe(new Date(2026, 11, 2).toISOString());
    expect(filter.and[2]!.value).toBe(new Date(2026, 11, 9).toISOString());
  });
});
