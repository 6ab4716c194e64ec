import type { ApiRecord } from '../../api/types.ts';

/**
 * The booking page editor's state and its conversions (pure, unit-tested): a `bookingPage` record's values, the JSON
 * ones included (`availability`, `durationOptions`, `members`), to what the editor shows, and back to the API's body.
 * The rules mirror the server's (booking-settings.ts), so most mistakes are shown before saving.
 */

/** Weekday keys of `availability`, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One from–to range of local times, `HH:MM` as a time input gives them (an end of `00:00` is midnight, the end of the day). */
export interface TimeRange {
  start: string;
  end: string;
}

export interface DayHours {
  enabled: boolean;
  /** Kept while a day is off, so switching it back on brings its hours back. */
  ranges: TimeRange[];
}

export type WeekHours = Record<Weekday, DayHours>;

export type Assignment = 'roundRobin' | 'firstAvailable';

export interface BookingEditorState {
  name: string;
  slug: string;
  description: string;
  /** `''` while the input is empty. */
  durationMinutes: number | '';
  durationOptions: number[];
  timezone: string;
  hours: WeekHours;
  bufferMinutes: number | '';
  minimumNoticeMinutes: number | '';
  maximumPerDay: number | '';
  members: string[];
  assignment: Assignment;
  isActive: boolean;
}

export type EditorField = keyof Omit<BookingEditorState, 'hours'> | 'availability';

/** The record fields the editor writes (the API's names), for mapping the server's field errors. */
export const EDITOR_FIELDS: readonly EditorField[] = [
  'name', 'slug', 'description', 'durationMinutes', 'durationOptions', 'timezone', 'availability', 'bufferMinutes', 'minimumNoticeMinutes', 'maximumPerDay', 'members', 'assignment', 'isActive',
];

const DEFAULT_RANGE: TimeRange = { start: '09:00', end: '17:00' };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes since midnight of `HH:MM`; an end of `00:00` (or `24:00`) is the end of the day. */
export const minutesOf = (time: string, isEnd = false): number => {
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return isEnd && minutes === 0 ? 24 * 60 : minutes;
};

/** Weekdays 09:00–17:00: what a page without working hours offers. */
export const defaultWeek = (): WeekHours =>
  Object.fromEntries(WEEKDAYS.map((day, index) => [day, { enabled: index < 5, ranges: [{ ...DEFAULT_RANGE }] }])) as WeekHours;

const isRangeList = (value: unknown): value is [string, string][] =>
  Array.isArray(value) && value.every((range) => Array.isArray(range) && range.length === 2 && range.every((time) => typeof time === 'string'));

/**
 * The week of a stored `availability`: absent or unreadable → weekdays 09:00–17:00 (as the server reads it); a day
 * the value leaves out or gives no range is off.
 */
export const weekFromAvailability = (value: unknown): WeekHours => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) return defaultWeek();
  const stored = value as Record<string, unknown>;
  if (Object.entries(stored).some(([day, ranges]) => !(WEEKDAYS as readonly string[]).includes(day) || !isRangeList(ranges))) return defaultWeek();
  return Object.fromEntries(
    WEEKDAYS.map((day) => {
      const ranges = (stored[day] as [string, string][] | undefined) ?? [];
      return [
        day,
        ranges.length > 0
          ? { enabled: true, ranges: ranges.map(([start, end]) => ({ start, end: end === '24:00' ? '00:00' : end })) }
          : { enabled: false, ranges: [{ ...DEFAULT_RANGE }] },
      ];
    }),
  ) as WeekHours;
};

/** The `availability` value of a week: every day named, a day off as `[]`, ranges in order, midnight as `24:00`. */
export const availabilityFromWeek = (week: WeekHours): Record<Weekday, [string, string][]> =>
  Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      week[day].enabled
        ? [...week[day].ranges]
            .sort((a, b) => minutesOf(a.start) - minutesOf(b.start))
            .map(({ start, end }): [string, string] => [start, minutesOf(end, true) === 24 * 60 ? '24:00' : end])
        : [],
    ]),
  ) as Record<Weekday, [string, string][]>;

export type RangeProblem = 'invalidTime' | 'endBeforeStart' | 'overlap';

/** What is wrong with each range of a day that is on (by index), if anything. */
export const dayProblems = (day: DayHours): (RangeProblem | null)[] => {
  if (!day.enabled) return day.ranges.map(() => null);
  const problems = day.ranges.map((range): RangeProblem | null => {
    if (!TIME.test(range.start) || !TIME.test(range.end)) return 'invalidTime';
    return minutesOf(range.start) >= minutesOf(range.end, true) ? 'endBeforeStart' : null;
  });
  // Only ranges that are fine on their own are compared with each other.
  return problems.map((problem, index) => {
    if (problem) return problem;
    const [start, end] = [minutesOf(day.ranges[index]!.start), minutesOf(day.ranges[index]!.end, true)];
    const overlaps = day.ranges.some((other, otherIndex) => otherIndex !== index && !problems[otherIndex] && minutesOf(other.start) < end && start < minutesOf(other.end, true));
    return overlaps ? 'overlap' : null;
  });
};

/** The week's problems by day (days without any left out). */
export const weekProblems = (week: WeekHours): Partial<Record<Weekday, (RangeProblem | null)[]>> =>
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayProblems(week[day])]).filter(([, problems]) => (problems as (RangeProblem | null)[]).some(Boolean)));

/** Monday's hours (on or off) on Tuesday to Friday; the weekend stays as it is. */
export const copyMondayToWeekdays = (week: WeekHours): WeekHours => ({
  ...week,
  ...Object.fromEntries(WEEKDAYS.slice(1, 5).map((day) => [day, { enabled: week.mon.enabled, ranges: week.mon.ranges.map((range) => ({ ...range })) }])),
});

/** A new range after the day's last one: an hour after it ends, else 09:00–17:00. */
export const addRange = (day: DayHours): DayHours => {
  const last = day.ranges.at(-1);
  if (!last || !TIME.test(last.end) || minutesOf(last.end, true) >= 23 * 60) return { enabled: true, ranges: [...day.ranges, { ...DEFAULT_RANGE }] };
  const start = Math.min(minutesOf(last.end, true) + 60, 23 * 60);
  const end = Math.min(start + 60 * 3, 24 * 60);
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return { enabled: true, ranges: [...day.ranges, { start: hhmm(start), end: hhmm(end) }] };
};

/** A day without the range at `index`; the last range removed turns the day off. */
export const removeRange = (day: DayHours, index: number): DayHours => {
  const ranges = day.ranges.filter((_, i) => i !== index);
  return ranges.length > 0 ? { ...day, ranges } : { enabled: false, ranges: [{ ...DEFAULT_RANGE }] };
};

/** Runs of consecutive days with the same hours, for a summary: `[{days: ['mon', …, 'thu'], ranges: […]}, …]`; days off left out. */
export const hoursSummary = (week: WeekHours): { days: Weekday[]; ranges: [string, string][] }[] => {
  const availability = availabilityFromWeek(week);
  const groups: { days: Weekday[]; ranges: [string, string][] }[] = [];
  for (const day of WEEKDAYS) {
    const ranges = availability[day];
    if (ranges.length === 0) continue;
    const last = groups.at(-1);
    const previousDay = WEEKDAYS[WEEKDAYS.indexOf(day) - 1];
    if (last && last.days.at(-1) === previousDay && JSON.stringify(last.ranges) === JSON.stringify(ranges)) last.days.push(day);
    else groups.push({ days: [day], ranges });
  }
  return groups;
};

/** A page address from its name: lower-case ASCII letters, digits and dashes (accents dropped), at most 80. */
export const slugFromName = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,78})[a-z0-9]$/;

const numberOr = (value: unknown, fallback: number | ''): number | '' => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

const numberList = (value: unknown): number[] => (Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number' && Number.isInteger(item)) : []);

/** The editor's state for a record, or for a new page (`record` absent) in the browser's `timeZone`. */
export const stateFromRecord = (record: ApiRecord | undefined, timeZone: string): BookingEditorState => {
  if (!record) {
    return {
      name: '', slug: '', description: '', durationMinutes: 30, durationOptions: [], timezone: timeZone, hours: defaultWeek(),
      bufferMinutes: 0, minimumNoticeMinutes: 240, maximumPerDay: '', members: [], assignment: 'roundRobin', isActive: true,
    };
  }
  return {
    name: typeof record.name === 'string' ? record.name : '',
    slug: typeof record.slug === 'string' ? record.slug : '',
    description: typeof record.description === 'string' ? record.description : '',
    durationMinutes: numberOr(record.durationMinutes, 30),
    durationOptions: numberList(record.durationOptions),
    timezone: typeof record.timezone === 'string' && record.timezone ? record.timezone : 'UTC',
    hours: weekFromAvailability(record.availability),
    bufferMinutes: numberOr(record.bufferMinutes, 0),
    minimumNoticeMinutes: numberOr(record.minimumNoticeMinutes, 0),
    maximumPerDay: numberOr(record.maximumPerDay, ''),
    members: Array.isArray(record.members) ? record.members.map(String) : [],
    assignment: record.assignment === 'firstAvailable' ? 'firstAvailable' : 'roundRobin',
    isActive: record.isActive !== false,
  };
};

/** Codes of the problems the editor finds itself (translated as `bookingEditor.errors.{code}`). */
export type EditorProblem = 'required' | 'slugFormat' | 'slugReserved' | 'durationRange' | 'durationsRange' | 'wholeMinutes' | 'atLeastOne' | 'hours';

const isWhole = (value: number | '', min: number, max = Infinity) => value !== '' && Number.isInteger(value) && value >= min && value <= max;

/** The editor's own checks, by field (empty when the page can be sent). */
export const validateState = (state: BookingEditorState): Partial<Record<EditorField, EditorProblem>> => {
  const problems: Partial<Record<EditorField, EditorProblem>> = {};
  if (!state.name.trim()) problems.name = 'required';
  if (!state.slug) problems.slug = 'required';
  else if (state.slug === 'manage') problems.slug = 'slugReserved';
  else if (!SLUG_PATTERN.test(state.slug)) problems.slug = 'slugFormat';
  if (state.durationMinutes === '') problems.durationMinutes = 'required';
  else if (!isWhole(state.durationMinutes, 5, 480)) problems.durationMinutes = 'durationRange';
  if (state.durationOptions.some((minutes) => !isWhole(minutes, 5, 480))) problems.durationOptions = 'durationsRange';
  if (!state.timezone) problems.timezone = 'required';
  if (Object.keys(weekProblems(state.hours)).length > 0) problems.availability = 'hours';
  else if (WEEKDAYS.every((day) => !state.hours[day].enabled)) problems.availability = 'atLeastOne';
  if (!isWhole(state.bufferMinutes, 0, 240)) problems.bufferMinutes = 'wholeMinutes';
  if (!isWhole(state.minimumNoticeMinutes, 0)) problems.minimumNoticeMinutes = 'wholeMinutes';
  if (state.maximumPerDay !== '' && !isWhole(state.maximumPerDay, 1)) problems.maximumPerDay = 'wholeMinutes';
  return problems;
};

/** Every value the record takes from the editor, as the API writes it. */
export const valuesOfState = (state: BookingEditorState): Record<EditorField, unknown> => {
  const durationMinutes = state.durationMinutes === '' ? null : state.durationMinutes;
  return {
    name: state.name.trim(),
    slug: state.slug,
    description: state.description.trim() === '' ? null : state.description,
    durationMinutes,
    // The main length is offered anyway; other lengths in increasing order, each once.
    durationOptions: [...new Set(state.durationOptions)].filter((minutes) => minutes !== durationMinutes).sort((a, b) => a - b),
    timezone: state.timezone,
    availability: availabilityFromWeek(state.hours),
    bufferMinutes: state.bufferMinutes === '' ? 0 : state.bufferMinutes,
    minimumNoticeMinutes: state.minimumNoticeMinutes === '' ? 0 : state.minimumNoticeMinutes,
    maximumPerDay: state.maximumPerDay === '' ? null : state.maximumPerDay,
    members: state.members.length > 0 ? state.members : null,
    assignment: state.assignment,
    isActive: state.isActive,
  };
};

/**
 * The body to send: every value for a new page; for an edit (`initial` given), only the values that differ from the
 * record's as it was read (so a PATCH does not touch what the editor did not change).
 */
export const bodyOfState = (state: BookingEditorState, initial?: BookingEditorState): Record<string, unknown> => {
  const values = valuesOfState(state);
  if (!initial) return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
  const before = valuesOfState(initial);
  return Object.fromEntries(Object.entries(values).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field as EditorField])));
};

/** The JSON fields a booking page's record page shows readably in its own panel rather than in its details. */
export const PANEL_FIELDS: ReadonlySet<string> = new Set(['availability', 'members', 'durationOptions']);

/** A record page's detail fields without those the booking page panel shows (other objects: all of them). */
export const withoutPanelFields = <T extends { name: string }>(object: string, fields: T[]): T[] =>
  object === 'bookingPage' ? fields.filter((field) => !PANEL_FIELDS.has(field.name)) : fields;

/** The lengths a visitor may choose, the main one first: `[45, 30, 60]`. */
export const lengthsOf = (durationMinutes: unknown, durationOptions: unknown): number[] => {
  const main = typeof durationMinutes === 'number' && durationMinutes > 0 ? [durationMinutes] : [];
  return [...new Set([...main, ...numberList(durationOptions).filter((minutes) => minutes > 0).sort((a, b) => a - b)])];
};
