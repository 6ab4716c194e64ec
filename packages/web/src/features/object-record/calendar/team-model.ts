import type { CalendarItem } from './calendar-model.ts';
import { addLocalDays, startOfLocalDay } from './calendar-days.ts';

/** An item on a person's row: where it sits in the horizon, as fractions of its length. */
export interface TeamBar {
  item: CalendarItem;
  left: number;
  width: number;
  /** Its line in the row: items that overlap in time go on separate lines. */
  level: number;
}

/** One person's row of the planner: their items and the hours booked on each day of the horizon. */
export interface TeamLane {
  /** A user id; null for the items nobody owns. */
  ownerId: string | null;
  bars: TeamBar[];
  hoursByDay: number[];
  /** How many lines its bars need. */
  levels: number;
}

const HOUR = 3_600_000;
/** An item without an end takes this long on the planner (and in booked hours), as in the calendar. */
const DEFAULT_LENGTH = HOUR;

const endOf = (item: CalendarItem) => item.end ?? new Date(item.start.getTime() + (item.allDay ? 0 : DEFAULT_LENGTH));
const overlapMs = (from: Date, to: Date, start: Date, end: Date) => Math.max(0, Math.min(to.getTime(), end.getTime()) - Math.max(from.getTime(), start.getTime()));

// A bar over whole days: from the midnight before its start to the one after its end.
const daySpanOf = (start: Date, end: Date): [Date, Date] => {
  const to = startOfLocalDay(end) < end || end <= start ? addLocalDays(startOfLocalDay(end), 1) : end;
  return [startOfLocalDay(start), to];
};

/**
 * The planner's rows: one per person of `owners` (in that order), then anyone else owning an item, then the items
 * nobody owns; bars placed by time within `days` (local midnights, the horizon being the first to the day after the
 * last: a day of 23 or 25 hours is as long as it really is), or over the whole days they fall on (`byDay`, a week:
 * an hour would be a sliver of it). Whole-day items span their days and book no hours.
 */
export const teamLanesOf = ({ items, ownerOf, owners, days, byDay = false }: { items: readonly CalendarItem[]; ownerOf(item: CalendarItem): string | null; owners: readonly string[]; days: readonly Date[]; byDay?: boolean }): TeamLane[] => {
  const first = days[0];
  if (!first) return [];
  const horizonEnd = addLocalDays(days[days.length - 1]!, 1);
  const length = horizonEnd.getTime() - first.getTime();
  const lanes = new Map<string | null, TeamLane>(owners.map((id) => [id, { ownerId: id, bars: [], hoursByDay: days.map(() => 0), levels: 1 }]));
  const sorted = [...items].sort((a, b) => a.start.getTime() - b.start.getTime());
  // Per row, where each line is free again (the end of its last bar).
  const lineEnds = new Map<string | null, number[]>();
  for (const item of sorted) {
    const end = endOf(item);
    const ownerId = ownerOf(item);
    if (!lanes.has(ownerId)) lanes.set(ownerId, { ownerId, bars: [], hoursByDay: days.map(() => 0), levels: 1 });
    const lane = lanes.get(ownerId)!;
    const [placedStart, placedEnd] = byDay ? daySpanOf(item.start, end) : [item.start, end];
    const from = Math.max(placedStart.getTime(), first.getTime());
    const to = Math.min(Math.max(placedEnd.getTime(), placedStart.getTime()), horizonEnd.getTime());
    if (to < first.getTime() || from > horizonEnd.getTime()) continue;
    const ends = lineEnds.get(ownerId) ?? [];
    lineEnds.set(ownerId, ends);
    let level = ends.findIndex((lineEnd) => lineEnd <= placedStart.getTime());
    if (level === -1) level = ends.length;
    ends[level] = Math.max(placedEnd.getTime(), placedStart.getTime() + 1);
    lane.levels = Math.max(lane.levels, ends.length);
    lane.bars.push({ item, left: (from - first.getTime()) / length, width: Math.max(0, to - from) / length, level });
    if (item.allDay) continue;
    days.forEach((day, index) => {
      lane.hoursByDay[index]! += overlapMs(day, addLocalDays(day, 1), item.start, end) / HOUR;
    });
  }
  // Nobody's items last.
  return [...lanes.values()].sort((a, b) => Number(a.ownerId === null) - Number(b.ownerId === null));
};

/** The save that hands an item to another person (delegation); nothing when it is theirs already. */
export const patchOfDelegation = ({ ownerField, currentOwner, to }: { ownerField: string; currentOwner: string | null; to: string | null }): Record<string, unknown> =>
  currentOwner === to ? {} : { [ownerField]: to };

/** The aggregate query of each person's open tasks (status not done), by assignee. */
export const OPEN_TASKS_QUERY = {
  filter: { field: 'status', op: 'neq', value: 'done' },
  groupBy: ['assignee'],
  metrics: [{ op: 'count', alias: 'open' }],
  limit: 1000,
} as const;

/** Aggregate rows of OPEN_TASKS_QUERY as open tasks by user id. */
export const openTasksByUser = (rows: readonly Record<string, unknown>[]): Map<string, number> =>
  new Map(rows.flatMap((row) => (typeof row.assignee === 'string' && typeof row.open === 'number' ? [[row.assignee, row.open] as const] : [])));

/** The rows to show for a team: its members' (in the planner's order); every row when no team is chosen. */
export const lanesOfTeam = (lanes: readonly TeamLane[], memberIds: readonly string[] | undefined): TeamLane[] =>
  memberIds ? lanes.filter((lane) => lane.ownerId !== null && memberIds.includes(lane.ownerId)) : [...lanes];
