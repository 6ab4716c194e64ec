import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays, firstDayOfWeek, localDayOf, localDaysBetween, parseLocalDay, startOfLocalDay } from './calendar-days.ts';
import { rangeFilterOf } from './calendar-model.ts';
import { teamLanesOf } from './team-model.ts';
import type { CalendarItem } from './calendar-model.ts';
import type { ObjectDefinition } from '@rapport/common';

// Paris moves its clocks on 29 March 2026 (23 hours) and 25 October 2026 (25 hours).
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  process.env.TZ = zone;
});

describe('local days across daylight saving time', () => {
  it('should step whole calendar days, not 24 hours, over the spring and autumn changes', () => {
    const saturday = new Date(2026, 2, 28, 9, 30);
    expect(addLocalDays(saturday, 1)).toEqual(new Date(2026, 2, 29, 9, 30));
    expect(addLocalDays(saturday, 1).getTime() - saturday.getTime()).toBe(23 * 3_600_000);
    const autumn = new Date(2026, 9, 24);
    expect(addLocalDays(autumn, 2).getTime() - autumn.getTime()).toBe(49 * 3_600_000);
    expect(localDaysBetween(new Date(2026, 2, 28), new Date(2026, 2, 31)).map(localDayOf)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
  });

  it('should read and write a date field as the local day', () => {
    expect(parseLocalDay('2026-03-29')).toEqual(new Date(2026, 2, 29));
    expect(parseLocalDay('29/03/2026')).toBeUndefined();
    expect(localDayOf(new Date(2026, 2, 29, 23, 59))).toBe('2026-03-29');
    expect(startOfLocalDay(new Date(2026, 2, 29, 12))).toEqual(new Date(2026, 2, 29));
  });

  it('should ask for the range from local midnight to local midnight, whatever the day\'s length', () => {
    const object: ObjectDefinition = { name: 'task', labelSingular: 'Task', labelPlural: 'Tasks', fields: [{ name: 'dueAt', type: 'datetime', label: 'Due' }] };
    const filter = rangeFilterOf({ object, settings: { startField: 'dueAt', mode: 'day' }, range: { start: new Date(2026, 2, 29), end: addLocalDays(new Date(2026, 2, 29), 1) } });
    expect(filter).toEqual({ and: [{ field: 'dueAt', op: 'gte', value: '2026-03-28T23:00:00.000Z' }, { field: 'dueAt', op: 'lt', value: '2026-03-29T22:00:00.000Z' }] });
  });

  it('should book the hours of a planner\'s short day as they really fall', () => {
    const item = (id: string, start: string, end: string): CalendarItem => ({ id, title: id, allDay: false, start: new Date(start), end: new Date(end), color: undefined, choice: undefined, isOverdue: false, record: { id, version: 1, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, owner: 'u1' } });
    const days = localDaysBetween(new Date(2026, 2, 28), new Date(2026, 2, 30));
    const [lane] = teamLanesOf({ items: [item('a', '2026-03-29T08:00:00Z', '2026-03-29T10:30:00Z'), item('b', '2026-03-28T22:00:00Z', '2026-03-29T00:00:00Z')], ownerOf: (it) => it.record.owner as string, owners: ['u1'], days });
    // b runs from 23:00 on Saturday to 01:00 on Sunday (Paris): an hour on each day.
    expect(lane!.hoursByDay).toEqual([1, 3.5]);
    // Sunday 29 March is 23 hours long: the horizon is 47 hours, a at 10:00 Paris is 33 hours in.
    expect(lane!.bars.find((bar) => bar.item.id === 'a')!.left).toBeCloseTo(33 / 47);
  });
});

describe('first day of the week', () => {
  it('should start the week on Sunday in American English and on Monday in the other languages', () => {
    expect(firstDayOfWeek('en')).toBe(0);
    expect(firstDayOfWeek('en-US')).toBe(0);
    for (const language of ['fr', 'de', 'ru', 'en-GB']) expect(firstDayOfWeek(language)).toBe(1);
  });
});
