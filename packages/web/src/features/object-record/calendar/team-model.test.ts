import { describe, expect, it } from 'vitest';
import type { CalendarItem } from './calendar-model.ts';
import { lanesOfTeam, openTasksByUser, patchOfDelegation, teamLanesOf } from './team-model.ts';

const item = (id: string, owner: string | null, start: Date, hours: number | null, allDay = false): CalendarItem => ({
  id,
  title: id,
  allDay,
  start,
  end: hours === null ? undefined : new Date(start.getTime() + hours * 3_600_000),
  color: undefined,
  choice: undefined,
  isOverdue: false,
  record: { id, version: 1, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, owner },
});
const ownerOf = (it: CalendarItem) => (it.record.owner as string | null) ?? null;
const monday = new Date(2026, 5, 1);
const days = [0, 1, 2].map((n) => new Date(2026, 5, 1 + n));
const at = (day: number, hour: number) => new Date(2026, 5, 1 + day, hour);

describe('team planner', () => {
  it('should give a row to each person in order, then other owners, then nobody\'s items', () => {
    const lanes = teamLanesOf({ items: [item('x', null, at(0, 9), 1), item('y', 'u3', at(0, 9), 1), item('z', 'u2', at(1, 9), 1)], ownerOf, owners: ['u1', 'u2'], days });
    expect(lanes.map((lane) => lane.ownerId)).toEqual(['u1', 'u2', 'u3', null]);
  });

  it('should place bars by time in the horizon and stack the ones that overlap', () => {
    const [lane] = teamLanesOf({ items: [item('a', 'u1', at(0, 12), 12), item('b', 'u1', at(0, 13), 1), item('c', 'u1', at(1, 13), 1)], ownerOf, owners: ['u1'], days });
    const bar = (id: string) => lane!.bars.find((candidate) => candidate.item.id === id)!;
    expect(bar('a')).toMatchObject({ left: 12 / 72, width: 12 / 72, level: 0 });
    expect(bar('b').level).toBe(1);
    expect(bar('c').level).toBe(0);
    expect(lane!.levels).toBe(2);
    expect(monday.getDay()).toBe(1);
  });

  it('should count booked hours per day, splitting an item over midnight, an item without end as an hour, whole days as none', () => {
    const [lane] = teamLanesOf({ items: [item('night', 'u1', at(0, 22), 4), item('instant', 'u1', at(2, 9), null), item('holiday', 'u1', at(1, 0), 24, true)], ownerOf, owners: ['u1'], days });
    expect(lane!.hoursByDay).toEqual([2, 2, 1]);
  });

  it('should hand an item to another person, and save nothing when it is theirs', () => {
    expect(patchOfDelegation({ ownerField: 'assignee', currentOwner: 'u1', to: 'u2' })).toEqual({ assignee: 'u2' });
    expect(patchOfDelegation({ ownerField: 'assignee', currentOwner: 'u2', to: 'u2' })).toEqual({});
  });

  it('should place a week\'s items over the whole days they fall on, stacking those of the same day', () => {
    const [lane] = teamLanesOf({ items: [item('a', 'u1', at(0, 9), 1), item('b', 'u1', at(0, 15), 1), item('c', 'u1', at(1, 22), 4)], ownerOf, owners: ['u1'], days, byDay: true });
    const bar = (id: string) => lane!.bars.find((candidate) => candidate.item.id === id)!;
    expect(bar('a')).toMatchObject({ left: 0, width: 1 / 3, level: 0 });
    expect(bar('b')).toMatchObject({ left: 0, width: 1 / 3, level: 1 });
    // Over midnight: two days.
    expect(bar('c')).toMatchObject({ left: 1 / 3, width: 2 / 3, level: 0 });
    expect(lane!.hoursByDay).toEqual([2, 2, 2]);
  });

  it('should count open tasks by assignee and keep a team\'s rows only', () => {
    expect(openTasksByUser([{ assignee: 'u1', open: 3 }, { assignee: null, open: 2 }, { assignee: 'u2', open: 1 }])).toEqual(new Map([['u1', 3], ['u2', 1]]));
    const lane = (ownerId: string | null) => ({ ownerId, bars: [], hoursByDay: [], levels: 1 });
    const lanes = [lane('u1'), lane('u2'), lane('u3'), lane(null)];
    expect(lanesOfTeam(lanes, ['u3', 'u1']).map((item) => item.ownerId)).toEqual(['u1', 'u3']);
    expect(lanesOfTeam(lanes, undefined)).toHaveLength(4);
  });
});

