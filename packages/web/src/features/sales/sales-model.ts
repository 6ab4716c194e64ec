/**
 * Pure helpers of the sales screens (forecast, dashboard, leaderboard): periods, the scope in the address, trends,
 * the range bar's geometry and a small concurrency limit. Unit-tested in sales-model.test.ts.
 */

export type PeriodKind = 'quarter' | 'month';

export interface SalesPeriod {
  key: string;
  kind: PeriodKind;
  year: number;
  /** 1..4 for a quarter, 1..12 for a month. */
  index: number;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A quarter (`2026-Q4`) or month (`2026-11`) key, or undefined for anything else. */
export const parseSalesPeriod = (text: string | null | undefined): SalesPeriod | undefined => {
  const key = (text ?? '').trim().toUpperCase();
  let match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (match) return { key, kind: 'quarter', year: Number(match[1]), index: Number(match[2]) };
  match = /^(\d{4})-(\d{2})$/.exec(key);
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 12) return { key, kind: 'month', year: Number(match[1]), index: Number(match[2]) };
  return undefined;
};

export const quarterKey = (year: number, quarter: number) => `${year}-Q${quarter}`;
export const monthKey = (year: number, month: number) => `${year}-${pad(month)}`;

/** The quarter holding a day (local calendar). */
export const currentQuarterKey = (now: Date = new Date()) => quarterKey(now.getFullYear(), Math.floor(now.getMonth() / 3) + 1);

/** First day and the day after the last, `YYYY-MM-DD` (half-open, as the API's periods). */
export const periodBounds = (period: SalesPeriod): { start: string; end: string } => {
  const firstMonth = period.kind === 'quarter' ? (period.index - 1) * 3 + 1 : period.index;
  const months = period.kind === 'quarter' ? 3 : 1;
  const after = firstMonth + months;
  const endYear = after > 12 ? period.year + 1 : period.year;
  const endMonth = after > 12 ? after - 12 : after;
  return { start: `${period.year}-${pad(firstMonth)}-01`, end: `${endYear}-${pad(endMonth)}-01` };
};

/** The period of the same kind `steps` before (negative) or after (positive). */
export const shiftPeriod = (period: SalesPeriod, steps: number): SalesPeriod => {
  const size = period.kind === 'quarter' ? 4 : 12;
  const position = period.year * size + (period.index - 1) + steps;
  const year = Math.floor(position / size);
  const index = (position % size) + 1;
  return { key: period.kind === 'quarter' ? quarterKey(year, index) : monthKey(year, index), kind: period.kind, year, index };
};

/**
 * What the period picker offers around a quarter: the quarters of last year, this year and next, then the months of
 * this year and next; each list in calendar order. The selected key is always among them.
 */
export const periodChoices = (around: string, selected?: string): { quarters: SalesPeriod[]; months: SalesPeriod[] } => {
  const anchor = parseSalesPeriod(around) ?? parseSalesPeriod(currentQuarterKey())!;
  const quarters: SalesPeriod[] = [];
  for (let year = anchor.year - 1; year <= anchor.year + 1; year += 1) for (let quarter = 1; quarter <= 4; quarter += 1) quarters.push(parseSalesPeriod(quarterKey(year, quarter))!);
  const months: SalesPeriod[] = [];
  for (let year = anchor.year; year <= anchor.year + 1; year += 1) for (let month = 1; month <= 12; month += 1) months.push(parseSalesPeriod(monthKey(year, month))!);
  const chosen = parseSalesPeriod(selected);
  if (chosen && ![...quarters, ...months].some((period) => period.key === chosen.key)) (chosen.kind === 'quarter' ? quarters : months).push(chosen);
  const order = (a: SalesPeriod, b: SalesPeriod) => a.year - b.year || a.index - b.index;
  return { quarters: quarters.sort(order), months: months.sort(order) };
};

/** The figures' scope as the address holds it (`?period=2026-Q4&pipeline=…&team=…&rep=…`). */
export interface SalesScope {
  period: string;
  pipeline: string | null;
  teamId: string | null;
  ownerId: string | null;
}

export const scopeOfParams = (params: URLSearchParams, now: Date = new Date()): SalesScope => {
  const period = parseSalesPeriod(params.get('period'))?.key ?? currentQuarterKey(now);
  const ownerId = params.get('rep') || null;
  // One rep or one team: the API refuses both.
  const teamId = ownerId ? null : params.get('team') || null;
  return { period, pipeline: params.get('pipeline') || null, teamId, ownerId };
};

/** The query string of `/forecast` and `/analytics/kpis` for a scope. */
export const scopeQuery = (scope: SalesScope): Record<string, string> => ({
  period: scope.period,
  ...(scope.pipeline ? { pipeline: scope.pipeline } : {}),
  ...(scope.ownerId ? { ownerId: scope.ownerId } : scope.teamId ? { teamId: scope.teamId } : {}),
});

/** Share of the quota reached (0.85 = 85 %); null without a positive quota. */
export const attainmentOf = (value: number, quota: number | null | undefined): number | null => (quota && quota > 0 ? value / quota : null);

export type TrendDirection = 'up' | 'down' | 'flat';

/**
 * The change of a KPI against the period before: the relative change for amounts and days, the difference in
 * points for ratios. `better` says whether the change is good news (a shorter sales cycle is).
 */
export const trendOf = (
  current: number | null | undefined,
  previous: number | null | undefined,
  { isRatio = false, lowerIsBetter = false }: { isRatio?: boolean; lowerIsBetter?: boolean } = {},
): { direction: TrendDirection; change: number; better: boolean | null } | null => {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  let change: number;
  if (isRatio) change = current - previous;
  else if (previous === 0) {
    if (current === 0) return { direction: 'flat', change: 0, better: null };
    return null;
  } else change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return { direction: 'flat', change: 0, better: null };
  const direction: TrendDirection = change > 0 ? 'up' : 'down';
  return { direction, change, better: lowerIsBetter ? change < 0 : change > 0 };
};

/**
 * Where the range bar draws its parts, as percentages of its width: the worst case to best outcome band, the
 * expected mark and the quota line. The scale runs from 0 to a little beyond the largest figure.
 */
export const rangeGeometry = ({ worstCase, bestOutcome, expected, quota }: { worstCase: number; bestOutcome: number; expected: number; quota: number | null }) => {
  const top = Math.max(bestOutcome, expected, worstCase, quota ?? 0);
  const scale = top > 0 ? top * 1.08 : 1;
  const at = (value: number) => Math.min(100, Math.max(0, (value / scale) * 100));
  const left = at(Math.min(worstCase, bestOutcome));
  const right = at(Math.max(worstCase, bestOutcome));
  return { left, width: Math.max(right - left, 0.6), expected: at(expected), quota: quota === null ? null : at(quota), scale };
};

/**
 * Runs at most `limit` tasks at once (the rep table asks one forecast per rep). Each call of the returned function
 * waits for a free slot.
 */
export const createLimiter = (limit: number) => {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      next();
    }
  };
};

/** Ranks ordered for a list: by rank, then by points, then by name. */
export const byRank = <T extends { rank: number; points: number; name: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => a.rank - b.rank || b.points - a.points || a.name.localeCompare(b.name));

export const STALLED_REASONS = ['noActivity', 'longInStage', 'closeDatePassed'] as const;
export type StalledReason = (typeof STALLED_REASONS)[number];

/** The stalled reasons of a record's value (a multi-select: an array of choice values), known ones first in order. */
export const stalledReasonsOf = (value: unknown): string[] => {
  if (!Array.isArray(value)) return [];
  const reasons = value.filter((item): item is string => typeof item === 'string' && item !== '');
  return [...STALLED_REASONS.filter((reason) => reasons.includes(reason)), ...reasons.filter((reason) => !(STALLED_REASONS as readonly string[]).includes(reason))];
};

/** Red when the close date has passed, orange for the other reasons. */
export const stalledSeverityOf = (reasons: readonly string[]): 'red' | 'orange' | null =>
  reasons.length === 0 ? null : reasons.includes('closeDatePassed') ? 'red' : 'orange';

/** The table filter of the "Needs attention" preset, as the address holds the filter bar's rules. */
export const NEEDS_ATTENTION_RULES = [{ field: 'stalledReasons', op: 'isNotEmpty' }] as const;

/** Is the table showing exactly the preset (one rule: stalled reasons not empty)? */
export const isNeedsAttention = (filterParam: string | null): boolean => {
  if (!filterParam) return false;
  try {
    const rules = JSON.parse(filterParam) as unknown;
    if (!Array.isArray(rules) || rules.length !== 1) return false;
    const rule = rules[0] as { field?: unknown; op?: unknown };
    return rule.field === 'stalledReasons' && rule.op === 'isNotEmpty';
  } catch {
    return false;
  }
};

/** The filter of a period's open deals in a scope, for the records API; undefined for a team without members (no deals). */
export const openDealsFilter = (scope: SalesScope, period: { start: string; end: string }, teamMembers?: readonly string[]) => {
  if (!scope.ownerId && scope.teamId && (!teamMembers || teamMembers.length === 0)) return undefined;
  const and: unknown[] = [
    { field: 'closeDate', op: 'gte', value: period.start },
    { field: 'closeDate', op: 'lt', value: period.end },
    { or: [{ field: 'stage.kind', op: 'eq', value: 'open' }, { field: 'stage', op: 'isEmpty' }] },
  ];
  if (scope.pipeline) and.push({ field: 'pipeline', op: 'eq', value: scope.pipeline });
  if (scope.ownerId) and.push({ field: 'owner', op: 'eq', value: scope.ownerId });
  else if (scope.teamId) and.push({ field: 'owner', op: 'in', value: [...teamMembers!] });
  return { and };
};

/** How much closed history the win probability has and needs, whichever shape the API gives them in. */
export const historyNeedOf = (answer: { closed?: number; needed?: number | { closed: number; eachOutcome?: number }; history?: { closed: number } }): { closed: number; needed: number } => ({
  closed: answer.history?.closed ?? answer.closed ?? 0,
  needed: typeof answer.needed === 'number' ? answer.needed : (answer.needed?.closed ?? 0),
});

/**
 * Why a forecast's trend is empty: the weekly snapshots are kept for the company and for each rep of every period,
 * never for a team or one pipeline (`scope`); otherwise none was taken yet (`notYet`). Null when there are snapshots.
 */
export const trendGapOf = (scope: Pick<SalesScope, 'teamId' | 'ownerId' | 'pipeline'>, trend: readonly unknown[] | undefined): 'scope' | 'notYet' | null => {
  // One rep of a team is asked as the rep (scopeQuery): the rep's snapshots.
  if (scope.pipeline || (scope.teamId && !scope.ownerId)) return 'scope';
  return trend && trend.length > 0 ? null : 'notYet';
};
