import { reject, succeed, type ValueResult } from './result.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339: date, "T" (or a space), time with optional fraction, then Z or an offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

const invalid = (message: string): ValueResult<string> => reject('invalidDate', message);

/**
 * Returns a calendar date as `YYYY-MM-DD`. A full ISO date-time is accepted and gives the date
 * as written (the date in its own offset), so `2024-05-01T23:30:00-05:00` is 2024-05-01.
 */
export const normalizeDate = (input: string): ValueResult<string> => {
  const text = input.trim();
  const date = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!date) return invalid(`"${text}" is not a date; use YYYY-MM-DD, as in 2024-05-31.`);
  const [, year, month, day] = date;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return invalid(`${year}-${month}-${day} does not exist.`);
  if (date.length > 4) {
    const checked = normalizeDateTime(text);
    if (!checked.ok) return checked;
  }
  return succeed(`${year}-${month}-${day}`);
};

/**
 * Returns an instant as an ISO 8601 UTC string with milliseconds (`2024-05-31T08:00:00.000Z`).
 * A date alone means midnight UTC; a date-time must say its offset, because a local time
 * without one could be any of 26 instants.
 */
export const normalizeDateTime = (input: string): ValueResult<string> => {
  const text = input.trim();
  const dateOnly = DATE.exec(text);
  if (dateOnly) {
    const [, year, month, day] = dateOnly;
    if (!isCalendarDate(Number(year), Number(month), Number(day))) return invalid(`${year}-${month}-${day} does not exist.`);
    return succeed(`${year}-${month}-${day}T00:00:00.000Z`);
  }

  const parts = DATE_TIME.exec(text);
  if (!parts) return invalid(`"${text}" is not an ISO 8601 date and time, as in 2024-05-31T08:00:00Z.`);
  const [, year, month, day, hour, minute, second = '00', fraction = '', zulu, sign, offsetHours = '00', offsetMinutes = '00'] = parts;
  if (!zulu && !sign) return invalid(`"${text}" has no time zone; end it with Z (UTC) or an offset such as +02:00.`);
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return invalid(`${year}-${month}-${day} does not exist.`);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return invalid(`${hour}:${minute}:${second} is not a valid time.`);
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return invalid(`${sign}${offsetHours}:${offsetMinutes} is not a valid offset.`);

  const offsetMs = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  const localMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  const instant = new Date(setFullYear(localMs, Number(year)) - offsetMs);
  const year4 = instant.getUTCFullYear();
  if (year4 < 1 || year4 > 9999) return invalid(`"${text}" is outside the years 0001 to 9999.`);
  return succeed(instant.toISOString());
};

const isCalendarDate = (year: number, month: number, day: number): boolean => {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(setFullYear(Date.UTC(2000, month - 1, day), year));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

// Date.UTC reads years 0–99 as 1900–1999; setting the year afterwards keeps year 0042 as 42.
const setFullYear = (ms: number, year: number): number => {
  const date = new Date(ms);
  date.setUTCFullYear(year);
  return date.getTime();
};
