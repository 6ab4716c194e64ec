import { IANAZone } from 'luxon';

/** Weekday keys of a page's availability, Monday first (luxon's `weekday` 1–7 is the index + 1). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local times `HH:MM` per weekday: `{"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}`. */
export type Availability = Partial<Record<Weekday, [string, string][]>>;

/** The page settings the slot computation reads (booking-page.object.ts, with its defaults applied). */
export interface BookingSettings {
  timezone: string;
  availability: Availability;
  durationMinutes: number;
  /** Every length a visitor may choose: durationMinutes first, then durationOptions. */
  durations: number[];
  bufferMinutes: number;
  minimumNoticeMinutes: number;
  maximumPerDay: number | null;
  /** In list order (firstAvailable follows it); the owner when the page names none. */
  members: string[];
  assignment: 'roundRobin' | 'firstAvailable';
}

// Weekdays 09:00–17:00 in the page's time zone, when the page says nothing.
const WORKING_WEEK: Availability = Object.fromEntries(WEEKDAYS.slice(0, 5).map((day) => [day, [['09:00', '17:00']]]));

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,78})[a-z0-9]$/;

// `/book/manage/{token}` is the manage link's page.
const RESERVED_SLUGS = new Set(['manage']);

/** A page address: 3–80 lower-case letters, digits and dashes, neither starting nor ending with a dash. */
export const isValidSlug = (slug: string) => SLUG_PATTERN.test(slug) && !RESERVED_SLUGS.has(slug);

export const isValidTimezone = (zone: unknown): zone is string => typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since midnight of `HH:MM` (24:00 ends a day). */
export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The problems of an availability value (empty when it is usable). */
export const availabilityProblems = (value: unknown): string[] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['Expected {"mon": [["09:00", "17:00"]], …}.'];
  const problems: string[] = [];
  for (const [day, ranges] of Object.entries(value)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push(`"${day}" is not a weekday key (${WEEKDAYS.join(', ')}).`);
      continue;
    }
    if (!Array.isArray(ranges) || ranges.some((range) => !Array.isArray(range) || range.length !== 2 || range.some((time) => typeof time !== 'string' || !TIME.test(time)))) {
      problems.push(`${day}: expected a list of ["HH:MM", "HH:MM"] ranges.`);
      continue;
    }
    const sorted = (ranges as [string, string][]).map(([start, end]) => [minutesOf(start), minutesOf(end)] as const).sort((a, b) => a[0] - b[0]);
    if (sorted.some(([start, end]) => start >= end)) problems.push(`${day}: each range ends after it starts.`);
    else if (sorted.some(([start], index) => index > 0 && start < sorted[index - 1]![1])) problems.push(`${day}: ranges overlap.`);
  }
  return problems;
};

/** The problem of a list of meeting lengths, if any. */
export const durationOptionsProblem = (value: unknown): string | undefined =>
  Array.isArray(value) && value.every((minutes) => Number.isInteger(minutes) && minutes >= 5 && minutes <= 480) ? undefined : 'Expected a list of whole minutes between 5 and 480.';

const positiveInteger = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback);

/** A stored booking page (API shape) as slot settings; the page's write rules have checked its values. */
export const bookingSettingsOf = (page: Readonly<Record<string, unknown>>): BookingSettings => {
  const durationMinutes = positiveInteger(page.durationMinutes, 30) || 30;
  const options = Array.isArray(page.durationOptions) ? page.durationOptions.filter((minutes): minutes is number => Number.isInteger(minutes) && (minutes as number) > 0) : [];
  const members = Array.isArray(page.members) && page.members.length > 0 ? page.members.map(String) : typeof page.owner === 'string' ? [page.owner] : [];
  const availability = page.availability && availabilityProblems(page.availability).length === 0 ? (page.availability as Availability) : WORKING_WEEK;
  return {
    timezone: isValidTimezone(page.timezone) ? page.timezone : 'UTC',
    availability,
    durationMinutes,
    durations: [...new Set([durationMinutes, ...options])],
    bufferMinutes: positiveInteger(page.bufferMinutes, 0),
    minimumNoticeMinutes: positiveInteger(page.minimumNoticeMinutes, 0),
    maximumPerDay: typeof page.maximumPerDay === 'number' && page.maximumPerDay >= 1 ? Math.floor(page.maximumPerDay) : null,
    members,
    assignment: page.assignment === 'firstAvailable' ? 'firstAvailable' : 'roundRobin',
  };
};
