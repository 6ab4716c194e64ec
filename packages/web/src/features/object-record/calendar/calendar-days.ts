// Calendar days in the browser's time zone. A day is not always 24 hours (daylight saving time makes 23 and 25),
// so days are stepped with the Date constructor's own calendar arithmetic, never by adding milliseconds.

const pad = (n: number) => String(n).padStart(2, '0');

/** Midnight of the day `date` falls on, local time. */
export const startOfLocalDay = (date: Date): Date => new Date(date.getFullYear(), date.getMonth(), date.getDate());

/** The same wall-clock time `days` calendar days later (earlier when negative). */
export const addLocalDays = (date: Date, days: number): Date =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate() + days, date.getHours(), date.getMinutes(), date.getSeconds(), date.getMilliseconds());

/** `YYYY-MM-DD` of the local day `date` falls on: the value of a date field. */
export const localDayOf = (date: Date): string => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** Local midnight of a date field's `YYYY-MM-DD`; undefined for anything else. */
export const parseLocalDay = (value: unknown): Date | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
};

/** A datetime field's instant; undefined when empty or unreadable. */
export const parseInstant = (value: unknown): Date | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** The local days from `start` (inclusive) to `end` (exclusive), each at midnight. */
export const localDaysBetween = (start: Date, end: Date): Date[] => {
  const days: Date[] = [];
  for (let day = startOfLocalDay(start); day < end; day = addLocalDays(day, 1)) days.push(day);
  return days;
};

type WeekInfoLocale = Intl.Locale & { getWeekInfo?(): { firstDay: number }; weekInfo?: { firstDay: number } };

/**
 * The day a week starts on for a language (0 Sunday … 6 Saturday), from the browser's locale data
 * (`Intl.Locale#getWeekInfo`: 1 Monday … 7 Sunday); where that is missing, Sunday for English as in the US and
 * Monday elsewhere (ISO 8601, and the custom in France, Germany, Russia and China).
 */
export const firstDayOfWeek = (language: string): number => {
  try {
    const locale = new Intl.Locale(language) as WeekInfoLocale;
    const info = typeof locale.getWeekInfo === 'function' ? locale.getWeekInfo() : locale.weekInfo;
    if (info && Number.isInteger(info.firstDay)) return info.firstDay % 7;
  } catch {
    // An unknown tag: the fallback below.
  }
  return /^en(-US)?$/i.test(language) ? 0 : 1;
};
