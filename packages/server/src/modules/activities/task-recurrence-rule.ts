import ICAL from 'ical.js';
import { DateTime } from 'luxon';

// Tasks repeat by the day at the finest: an hourly task would flood its assignee's list.
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const PARTS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYYEARDAY', 'BYWEEKNO', 'BYSETPOS', 'WKST']);
// A rule that never matches again (BYMONTH=2;BYMONTHDAY=31) must not spin forever.
const MAX_STEPS = 1000;

export interface RecurrenceRule {
  /** The rule as stored: upper case, parts in the given order, without a leading `RRULE:`. */
  text: string;
  /** Occurrences left, the current one included (COUNT counts from the task that carries it). */
  count?: number;
  /** No occurrence after this instant. */
  until?: Date;
}

/** The rule in `text`, or what is wrong with it (shown to the writer as `invalidRecurrence`). */
export const parseRecurrence = (text: string): RecurrenceRule | { problem: string } => {
  const canonical = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (canonical === '') return { problem: 'The rule is empty.' };
  const names = canonical.split(';').map((part) => part.split('=')[0]!);
  const unknown = names.filter((name) => !PARTS.has(name));
  if (unknown.length > 0) return { problem: `Unknown rule part ${unknown.join(', ')}. Use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH...` };
  if (new Set(names).size !== names.length) return { problem: 'A rule part is given twice.' };
  let recur: ICAL.Recur;
  try {
    recur = ICAL.Recur.fromString(canonical);
  } catch (error) {
    return { problem: `Not an RFC 5545 rule: ${(error as Error).message}.` };
  }
  if (!recur.freq || !FREQUENCIES.has(recur.freq)) return { problem: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.' };
  if (recur.count !== null && recur.until !== null) return { problem: 'A rule has COUNT or UNTIL, not both.' };
  if (recur.count !== null && recur.count < 1) return { problem: 'COUNT is at least 1.' };
  return {
    text: canonical,
    ...(recur.count !== null ? { count: recur.count } : {}),
    ...(recur.until !== null ? { until: recur.until.toJSDate() } : {}),
  };
};

// Wall-clock arithmetic: a local time read as if it were UTC, so that adding or comparing ignores DST.
const naiveMillis = (local: DateTime) => local.setZone('UTC', { keepLocalTime: true }).toMillis();
const fromNaiveMillis = (millis: number, timeZone: string) => DateTime.fromMillis(millis, { zone: 'UTC' }).setZone(timeZone, { keepLocalTime: true });

export interface NextOccurrenceOptions {
  rule: RecurrenceRule;
  /** The current occurrence: the series continues strictly after it, at its local time of day. */
  after: Date;
  /** The workspace's IANA time zone: occurrences keep their wall-clock time in it across DST changes. */
  timeZone: string;
}

/**
 * The first occurrence strictly after `after`, or undefined when the rule has ended (COUNT used up, past UNTIL).
 * The rule is expanded on the local (floating) time of `after` in `timeZone`, then each occurrence is placed in that
 * zone: every Monday 09:00 Europe/Paris stays 09:00 local whether Paris is on UTC+1 or UTC+2.
 */
export const findNextOccurrence = ({ rule, after, timeZone }: NextOccurrenceOptions): Date | undefined => {
  if (rule.count !== undefined && rule.count <= 1) return undefined;
  // COUNT and UNTIL are applied here: ical.js would count from this task and compare UNTIL with a floating time.
  const recur = ICAL.Recur.fromString(rule.text);
  recur.count = null;
  recur.until = null;
  const local = DateTime.fromJSDate(after, { zone: timeZone });
  const start = ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false });
  const iterator = recur.iterator(start);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = iterator.next();
    if (!next) return undefined;
    const occurrence = DateTime.fromObject({ year: next.year, month: next.month, day: next.day, hour: next.hour, minute: next.minute, second: next.second }, { zone: timeZone }).toJSDate();
    if (occurrence.getTime() <= after.getTime()) continue;
    return rule.until && occurrence.getTime() > rule.until.getTime() ? undefined : occurrence;
  }
  return undefined;
};

export interface TaskTimes {
  dueAt: Date | null;
  reminderAt: Date | null;
}

export interface NextTaskTimes extends TaskTimes {
  /** The rule the next task carries: COUNT lowered by one. */
  recurrence: string;
}

/**
 * The due and reminder times of a recurring task's next occurrence, or undefined when the series has ended. The
 * series is anchored on the due time (else the reminder, else `now`); the reminder keeps its wall-clock distance from
 * the due time (the day before at 17:00 stays the day before at 17:00).
 */
export const planNextOccurrence = ({ rule, times, timeZone, now }: { rule: RecurrenceRule; times: TaskTimes; timeZone: string; now: Date }): NextTaskTimes | undefined => {
  const anchor = times.dueAt ?? times.reminderAt ?? now;
  const next = findNextOccurrence({ rule, after: anchor, timeZone });
  if (!next) return undefined;
  const shift = (time: Date | null): Date | null => {
    if (!time) return null;
    const offset = naiveMillis(DateTime.fromJSDate(anchor, { zone: timeZone })) - naiveMillis(DateTime.fromJSDate(time, { zone: timeZone }));
    return fromNaiveMillis(naiveMillis(DateTime.fromJSDate(next, { zone: timeZone })) - offset, timeZone).toJSDate();
  };
  const recurrence = rule.count !== undefined ? rule.text.replace(/(^|;)COUNT=\d+/, `$1COUNT=${rule.count - 1}`) : rule.text;
  // Without a due time the reminder carries the series; with neither, the next task gets a due time.
  if (times.dueAt) return { dueAt: next, reminderAt: shift(times.reminderAt), recurrence };
  return times.reminderAt ? { dueAt: null, reminderAt: next, recurrence } : { dueAt: next, reminderAt: null, recurrence };
};
