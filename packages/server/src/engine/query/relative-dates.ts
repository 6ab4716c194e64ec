import type { RelativeDate } from '@rapport/common';

/**
 * Relative date ranges, computed in JS for the workspace's time zone.
 *
 * Every range is a half-open run of whole calendar days `[start, end)` in that zone:
 * - `today`/`yesterday`/`tomorrow`: one day; weeks start on Monday (ISO 8601); months,
 *   quarters and years are calendar ones.
 * - `inLastDays N`: the N days ending with today, today included: `[today - (N-1), today + 1)`.
 * - `inNextDays N`: the N days starting with today, today included: `[today, today + N)`.
 * Date columns compare with the day strings; datetime columns with the instants at which those
 * days start in the zone (a day can last 23 or 25 hours, and start at 01:00 where midnight is skipped).
 */
export interface DayRange {
  /** First day of the range, `YYYY-MM-DD`. */
  start: string;
  /** First day after the range, `YYYY-MM-DD`. */
  end: string;
}

export const MAX_RELATIVE_DAYS = 3650;

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

const getFormatter = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`Unknown time zone "${timeZone}": expected an IANA name such as Europe/Paris.`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall-clock time at `instant` in `timeZone`, as milliseconds of a UTC date with the same fields. */
const wallClockMs = (instant: number, timeZone: string): number => {
  const parts: Record<string, string> = {};
  for (const part of getFormatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const date = new Date(0);
  date.setUTCFullYear(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  date.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return date.getTime();
};

/** UTC offset of `timeZone` at `instant`, in milliseconds (positive east of Greenwich). */
export const getZoneOffsetMs = (instant: number, timeZone: string): number => {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
};

const dayNumber = (day: string): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
const dayString = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10);
const addDays = (day: string, count: number): string => dayString(dayNumber(day) + count);
const firstOfMonth = (year: number, monthIndex: number): string => new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);

/** The calendar day of `now` in `timeZone`, `YYYY-MM-DD`. */
export const getZonedToday = (timeZone: string, now: Date): string => dayString(Math.floor(wallClockMs(now.getTime(), timeZone) / DAY_MS));

/**
 * The first instant of `day` in `timeZone`, as ISO 8601 UTC. When midnight is skipped (a DST gap)
 * the day starts at the end of the gap; when it happens twice (an overlap) at the first one.
 */
export const getZonedStartOfDay = (day: string, timeZone: string): string => {
  const wall = dayNumber(day) * DAY_MS;
  // Offsets a day either side: real zones change offset at most once in two days.
  const offsets = new Set([getZoneOffsetMs(wall - DAY_MS, timeZone), getZoneOffsetMs(wall + DAY_MS, timeZone)]);
  const exact = [...offsets].map((offset) => wall - offset).filter((instant) => wallClockMs(instant, timeZone) === wall);
  const instant = exact.length > 0 ? Math.min(...exact) : wall - getZoneOffsetMs(wall - DAY_MS, timeZone);
  return new Date(instant).toISOString();
};

/** The days a relative date covers in `timeZone` at `now`. */
export const resolveRelativeDate = (relative: RelativeDate, timeZone: string, now: Date): DayRange => {
  const today = getZonedToday(timeZone, now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  const monday = addDays(today, -((new Date(dayNumber(today) * DAY_MS).getUTCDay() + 6) % 7));
  const quarter = month - (month % 3);
  const days = (start: string, count: number): DayRange => ({ start, end: addDays(start, count) });
  const months = (startMonth: number, count: number): DayRange => ({
    start: firstOfMonth(year, startMonth),
    end: firstOfMonth(year, startMonth + count),
  });
  switch (relative) {
    case 'today': return days(today, 1);
    case 'yesterday': return days(addDays(today, -1), 1);
    case 'tomorrow': return days(addDays(today, 1), 1);
    case 'thisWeek': return days(monday, 7);
    case 'lastWeek': return days(addDays(monday, -7), 7);
    case 'nextWeek': return days(addDays(monday, 7), 7);
    case 'thisMonth': return months(month, 1);
    case 'lastMonth': return months(month - 1, 1);
    case 'nextMonth': return months(month + 1, 1);
    case 'thisQuarter': return months(quarter, 3);
    case 'lastQuarter': return months(quarter - 3, 3);
    case 'nextQuarter': return months(quarter + 3, 3);
    case 'thisYear': return months(0, 12);
    case 'lastYear': return months(-12, 12);
    case 'nextYear': return months(12, 12);
  }
};

/** `inLastDays` / `inNextDays`: N whole days, today included (see the module comment). */
export const resolveDayWindow = (direction: 'last' | 'next', count: number, timeZone: string, now: Date): DayRange => {
  const today = getZonedToday(timeZone, now);
  return direction === 'last'
    ? { start: addDays(today, -(count - 1)), end: addDays(today, 1) }
    : { start: today, end: addDays(today, count) };
};

/** The bounds to compare a column of `kind` with: day strings for dates, instants for datetimes. */
export const toColumnBounds = (range: DayRange, kind: 'date' | 'datetime', timeZone: string): DayRange =>
  kind === 'date' ? range : { start: getZonedStartOfDay(range.start, timeZone), end: getZonedStartOfDay(range.end, timeZone) };
