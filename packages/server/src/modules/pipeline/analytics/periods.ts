/** A calendar period of sales figures: a year, quarter, month or ISO week, as `2026`, `2026-Q4`, `2026-11`, `2026-W48`. */
export interface Period {
  /** As given, normalised (`2026-q4` → `2026-Q4`). */
  key: string;
  kind: 'year' | 'quarter' | 'month' | 'week';
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** The day after the last one, `YYYY-MM-DD` (half-open: `start <= day < end`). */
  end: string;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const day = (date: Date) => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
const utc = (year: number, month: number, date = 1) => new Date(Date.UTC(year, month, date));

/** The period a key names, or undefined when it names none. */
export const parsePeriod = (text: string): Period | undefined => {
  const key = text.trim().toUpperCase();
  let match = /^(\d{4})$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    return { key, kind: 'year', start: day(utc(year, 0)), end: day(utc(year + 1, 0)) };
  }
  match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    const quarter = Number(match[2]);
    return { key, kind: 'quarter', start: day(utc(year, (quarter - 1) * 3)), end: day(utc(year, quarter * 3)) };
  }
  match = /^(\d{4})-(\d{2})$/.exec(key);
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    return { key, kind: 'month', start: day(utc(year, month - 1)), end: day(utc(year, month)) };
  }
  match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (match) {
    const year = Number(match[1]);
    const week = Number(match[2]);
    // ISO week 1 holds the year's first Thursday; weeks start on Monday.
    const jan4 = utc(year, 0, 4);
    const monday = utc(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7) + (week - 1) * 7);
    const weeks = utc(year, 0, 1).getUTCDay() === 4 || utc(year, 11, 31).getUTCDay() === 4 ? 53 : 52;
    if (week < 1 || week > weeks) return undefined;
    return { key, kind: 'week', start: day(monday), end: day(new Date(monday.getTime() + 7 * 86_400_000)) };
  }
  return undefined;
};

/** The period of a kind that holds a day (`YYYY-MM-DD`). */
export const periodOf = (kind: 'year' | 'quarter' | 'month', date: string): Period => {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const key = kind === 'year' ? `${year}` : kind === 'quarter' ? `${year}-Q${Math.floor((month - 1) / 3) + 1}` : `${year}-${pad(month)}`;
  return parsePeriod(key)!;
};

/** The period of the same kind just before (for trends: this quarter against the last). */
export const previousPeriod = (period: Period): Period => {
  const before = new Date(Date.parse(`${period.start}T00:00:00Z`) - 86_400_000);
  if (period.kind === 'week') {
    const start = new Date(Date.parse(`${period.start}T00:00:00Z`) - 7 * 86_400_000);
    return { key: isoWeekKey(start), kind: 'week', start: day(start), end: period.start };
  }
  return periodOf(period.kind, day(before));
};

const isoWeekKey = (date: Date) => {
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${pad(week)}`;
};

/** Days in a period. */
export const periodDays = (period: Period) => Math.round((Date.parse(period.end) - Date.parse(period.start)) / 86_400_000);
