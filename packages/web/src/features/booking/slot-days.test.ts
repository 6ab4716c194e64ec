import { describe, expect, it } from 'vitest';
import { addDays, groupSlotsByDay, localDateOf } from './slot-days.ts';

describe('slot days', () => {
  it('should group slots by the visitor\'s local day when it differs from UTC', () => {
    const slots = [
      { start: '2026-03-02T03:00:00Z', end: '2026-03-02T03:30:00Z' },
      { start: '2026-03-02T16:00:00Z', end: '2026-03-02T16:30:00Z' },
      { start: '2026-03-03T09:00:00Z', end: '2026-03-03T09:30:00Z' },
    ];
    expect(groupSlotsByDay(slots, 'America/Los_Angeles').map((day) => [day.date, day.slots.length])).toEqual([['2026-03-01', 1], ['2026-03-02', 1], ['2026-03-03', 1]]);
    expect(groupSlotsByDay(slots, 'UTC').map((day) => [day.date, day.slots.length])).toEqual([['2026-03-02', 2], ['2026-03-03', 1]]);
  });

  it('should add calendar days across months', () => {
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(localDateOf(new Date('2026-03-29T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-30');
  });
});
