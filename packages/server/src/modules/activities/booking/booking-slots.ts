import { DateTime } from 'luxon';
import { minutesOf, WEEKDAYS, type BookingSettings } from './booking-settings.ts';

const MINUTE = 60_000;

/** A span of time in epoch milliseconds, end excluded. */
export interface Interval {
  start: number;
  end: number;
}

/** What the slot computation knows of one member: nothing but free/busy. */
export interface MemberCalendar {
  userId: string;
  /**
   * Their CRM meetings that are not cancelled (organiser or colleague attending), whether booked through a page or
   * not: busy times, and what `maximumPerDay` counts (each meeting on the local day it starts).
   */
  busy: Interval[];
}

export interface Slot extends Interval {
  /** The members free for it, in the page's list order. */
  freeMembers: string[];
}

export interface ComputeSlotsOptions {
  settings: Pick<BookingSettings, 'timezone' | 'availability' | 'bufferMinutes' | 'minimumNoticeMinutes' | 'maximumPerDay' | 'members'>;
  calendars: MemberCalendar[];
  durationMinutes: number;
  from: number;
  to: number;
  now: number;
}

/** Slots start every meeting length from the start of each working range, but never closer than 15 minutes. */
export const slotStep = (durationMinutes: number) => Math.max(15, durationMinutes) * MINUTE;

/** The working ranges of one local day in the page's time zone, as instants (DST resolved by luxon). */
const workingRangesOn = (day: DateTime, settings: ComputeSlotsOptions['settings']): Interval[] => {
  const ranges = settings.availability[WEEKDAYS[day.weekday - 1]!] ?? [];
  const at = (minutes: number) => (minutes >= 24 * 60 ? day.plus({ days: 1 }) : day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 })).toMillis();
  return ranges.map(([start, end]) => ({ start: at(minutesOf(start)), end: at(minutesOf(end)) })).filter((range) => range.end > range.start);
};

const localDayOf = (instant: number, zone: string) => DateTime.fromMillis(instant, { zone }).toISODate()!;

/** Whether `member` may take `slot`: no meeting within the buffer around it, and fewer meetings that day than the maximum. */
const isFree = (calendar: MemberCalendar | undefined, slot: Interval, options: ComputeSlotsOptions, meetingsPerDay: Map<string, number>): boolean => {
  if (!calendar) return true;
  const buffer = options.settings.bufferMinutes * MINUTE;
  if (calendar.busy.some((busy) => busy.start - buffer < slot.end && busy.end + buffer > slot.start)) return false;
  const maximum = options.settings.maximumPerDay;
  return maximum === null || (meetingsPerDay.get(localDayOf(slot.start, options.settings.timezone)) ?? 0) < maximum;
};

/** How many meetings start on each local day (in the page's zone) of one member's calendar. */
export const meetingsPerLocalDay = (calendar: MemberCalendar, zone: string): Map<string, number> => {
  const perDay = new Map<string, number>();
  for (const { start } of calendar.busy) perDay.set(localDayOf(start, zone), (perDay.get(localDayOf(start, zone)) ?? 0) + 1);
  return perDay;
};

/**
 * The slots a page offers between `from` and `to`: each of the chosen length, inside the page's working hours in its
 * own time zone, after now plus the minimum notice, and with at least one member free (busy ± buffer, and fewer of
 * their meetings that local day than the page's maximum, however they were made). Pure: the caller reads calendars
 * and the clock.
 */
export const computeSlots = (options: ComputeSlotsOptions): Slot[] => {
  const { settings, durationMinutes, from, to, now } = options;
  const zone = settings.timezone;
  const length = durationMinutes * MINUTE;
  const step = slotStep(durationMinutes);
  const earliest = Math.max(from, now + settings.minimumNoticeMinutes * MINUTE);
  const calendars = new Map(options.calendars.map((calendar) => [calendar.userId, calendar]));
  const meetingsPerDay = new Map(options.calendars.map((calendar) => [calendar.userId, meetingsPerLocalDay(calendar, zone)]));
  const slots: Slot[] = [];
  // One local day before `from`: a range of the previous day may run past midnight into the window.
  for (let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 }); day.toMillis() < to; day = day.plus({ days: 1 })) {
    for (const range of workingRangesOn(day, settings)) {
      for (let start = range.start; start + length <= range.end; start += step) {
        const slot = { start, end: start + length };
        if (slot.start < earliest || slot.end > to) continue;
        const freeMembers = settings.members.filter((member) => isFree(calendars.get(member), slot, options, meetingsPerDay.get(member) ?? new Map()));
        if (freeMembers.length > 0) slots.push({ ...slot, freeMembers });
      }
    }
  }
  return slots.sort((a, b) => a.start - b.start).filter((slot, index, all) => index === 0 || slot.start !== all[index - 1]!.start);
};

/** A member's record on this page, for round robin. */
export interface AssignmentStats {
  /** Meetings booked through this page and still on. */
  count: number;
  /** When they were last booked through it (epoch ms), or null. */
  lastBookedAt: number | null;
}

export interface PickMemberOptions {
  assignment: BookingSettings['assignment'];
  /** The page's members in list order. */
  members: string[];
  free: readonly string[];
  stats: ReadonlyMap<string, AssignmentStats>;
}

/**
 * Who gets the meeting among the free members. Round robin: the fewest meetings booked through this page, then the
 * longest since their last booking (never booked first), then list order — so over time the bookings even out.
 * First available: the first free member in the page's order.
 */
export const pickMember = ({ assignment, members, free, stats }: PickMemberOptions): string | undefined => {
  const candidates = members.filter((member) => free.includes(member));
  if (assignment === 'firstAvailable') return candidates[0];
  const of = (member: string) => stats.get(member) ?? { count: 0, lastBookedAt: null };
  return [...candidates].sort((a, b) => {
    const [left, right] = [of(a), of(b)];
    if (left.count !== right.count) return left.count - right.count;
    return (left.lastBookedAt ?? -Infinity) - (right.lastBookedAt ?? -Infinity);
  })[0];
};

/**
 * The window a visitor asked for: `YYYY-MM-DD` dates are whole days in their time zone (`to` included), anything
 * else an instant. Undefined when a bound cannot be read.
 */
export const windowOf = ({ from, to, zone }: { from: string; to: string; zone: string }): Interval | undefined => {
  const read = (value: string, isEnd: boolean) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const day = DateTime.fromISO(value, { zone });
      return day.isValid ? (isEnd ? day.plus({ days: 1 }) : day).toMillis() : Number.NaN;
    }
    return Date.parse(value);
  };
  const window = { start: read(from, false), end: read(to, true) };
  return Number.isFinite(window.start) && Number.isFinite(window.end) ? window : undefined;
};
