import { describe, expect, it } from 'vitest';
import {
  attainmentOf,
  byRank,
  createLimiter,
  historyNeedOf,
  currentQuarterKey,
  isNeedsAttention,
  NEEDS_ATTENTION_RULES,
  openDealsFilter,
  parseSalesPeriod,
  periodBounds,
  trendGapOf,
  periodChoices,
  rangeGeometry,
  scopeOfParams,
  scopeQuery,
  shiftPeriod,
  stalledReasonsOf,
  stalledSeverityOf,
  trendOf,
} from './sales-model.ts';
import { carriedScope } from './sales-paths.ts';

describe('sales periods', () => {
  it('should read quarter and month keys and refuse anything else', () => {
    expect(parseSalesPeriod('2026-q4')).toEqual({ key: '2026-Q4', kind: 'quarter', year: 2026, index: 4 });
    expect(parseSalesPeriod('2026-11')).toEqual({ key: '2026-11', kind: 'month', year: 2026, index: 11 });
    for (const text of ['2026', '2026-Q5', '2026-13', '2026-W48', '', null, undefined]) expect(parseSalesPeriod(text)).toBeUndefined();
  });

  it('should give the half-open bounds the API uses, across the year end', () => {
    expect(periodBounds(parseSalesPeriod('2026-Q4')!)).toEqual({ start: '2026-10-01', end: '2027-01-01' });
    expect(periodBounds(parseSalesPeriod('2026-Q1')!)).toEqual({ start: '2026-01-01', end: '2026-04-01' });
    expect(periodBounds(parseSalesPeriod('2026-12')!)).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(periodBounds(parseSalesPeriod('2026-02')!)).toEqual({ start: '2026-02-01', end: '2026-03-01' });
  });

  it('should shift quarters and months across years', () => {
    expect(shiftPeriod(parseSalesPeriod('2026-Q1')!, -1).key).toBe('2025-Q4');
    expect(shiftPeriod(parseSalesPeriod('2026-Q4')!, 1).key).toBe('2027-Q1');
    expect(shiftPeriod(parseSalesPeriod('2026-Q2')!, -3).key).toBe('2025-Q3');
    expect(shiftPeriod(parseSalesPeriod('2026-01')!, -2).key).toBe('2025-11');
    expect(shiftPeriod(parseSalesPeriod('2026-12')!, 1).key).toBe('2027-01');
  });

  it('should take the current quarter from the local calendar', () => {
    expect(currentQuarterKey(new Date(2026, 11, 2))).toBe('2026-Q4');
    expect(currentQuarterKey(new Date(2026, 0, 1))).toBe('2026-Q1');
    expect(currentQuarterKey(new Date(2026, 5, 30))).toBe('2026-Q2');
  });

  it('should offer three years of quarters and two of months, with a chosen period outside them', () => {
    const { quarters, months } = periodChoices('2026-Q4');
    expect(quarters.map((period) => period.key)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4']);
    expect(months).toHaveLength(24);
    expect(months[0]!.key).toBe('2026-01');
    expect(periodChoices('2026-Q4', '2020-Q2').quarters[0]!.key).toBe('2020-Q2');
    expect(periodChoices('2026-Q4', '2030-05').months.at(-1)!.key).toBe('2030-05');
  });
});

describe('sales scope', () => {
  const now = new Date(2026, 10, 15);

  it('should default to the current quarter and ask for one rep or one team, never both', () => {
    expect(scopeOfParams(new URLSearchParams(''), now)).toEqual({ period: '2026-Q4', pipeline: null, teamId: null, ownerId: null });
    expect(scopeOfParams(new URLSearchParams('period=bad'), now).period).toBe('2026-Q4');
    const both = scopeOfParams(new URLSearchParams('period=2026-10&team=t1&rep=u1&pipeline=p1'), now);
    expect(both).toEqual({ period: '2026-10', pipeline: 'p1', teamId: null, ownerId: 'u1' });
    expect(scopeQuery(both)).toEqual({ period: '2026-10', pipeline: 'p1', ownerId: 'u1' });
    expect(scopeQuery(scopeOfParams(new URLSearchParams('team=t1'), now))).toEqual({ period: '2026-Q4', teamId: 't1' });
  });

  it('should carry only the scope from one sales screen to another', () => {
    expect(carriedScope('?period=2026-Q3&team=t1&filter=x')).toBe('?period=2026-Q3&team=t1');
    expect(carriedScope('')).toBe('');
  });

  it('should list the open deals closing in the period for a rep, a team, or nobody for an empty team', () => {
    const bounds = { start: '2026-10-01', end: '2027-01-01' };
    const base = { period: '2026-Q4', pipeline: 'p1', teamId: null, ownerId: null };
    const filter = openDealsFilter(base, bounds)!;
    expect(filter.and).toContainEqual({ field: 'closeDate', op: 'gte', value: '2026-10-01' });
    expect(filter.and).toContainEqual({ field: 'closeDate', op: 'lt', value: '2027-01-01' });
    expect(filter.and).toContainEqual({ field: 'pipeline', op: 'eq', value: 'p1' });
    expect(openDealsFilter({ ...base, ownerId: 'u1' }, bounds)!.and).toContainEqual({ field: 'owner', op: 'eq', value: 'u1' });
    expect(openDealsFilter({ ...base, teamId: 't1' }, bounds, ['u1', 'u2'])!.and).toContainEqual({ field: 'owner', op: 'in', value: ['u1', 'u2'] });
    expect(openDealsFilter({ ...base, teamId: 't1' }, bounds, [])).toBeUndefined();
  });
});

describe('sales figures', () => {
  it('should compute attainment only against a positive quota', () => {
    expect(attainmentOf(50, 200)).toBe(0.25);
    expect(attainmentOf(50, null)).toBeNull();
    expect(attainmentOf(50, 0)).toBeNull();
  });

  it('should give trends in points for ratios and relative change for the rest, a shorter cycle being better', () => {
    expect(trendOf(0.5, 0.4, { isRatio: true })).toEqual({ direction: 'up', change: expect.closeTo(0.1, 6), better: true });
    expect(trendOf(1200, 1000)).toEqual({ direction: 'up', change: expect.closeTo(0.2, 6), better: true });
    expect(trendOf(20, 25, { lowerIsBetter: true })).toEqual({ direction: 'down', change: expect.closeTo(-0.2, 6), better: true });
    expect(trendOf(30, 25, { lowerIsBetter: true })?.better).toBe(false);
    expect(trendOf(5, 5)).toEqual({ direction: 'flat', change: 0, better: null });
    expect(trendOf(5, 0)).toBeNull();
    expect(trendOf(0, 0)).toEqual({ direction: 'flat', change: 0, better: null });
    expect(trendOf(null, 3)).toBeNull();
    expect(trendOf(3, null)).toBeNull();
  });

  it('should place the range bar on one scale with room beyond the largest figure', () => {
    const geometry = rangeGeometry({ worstCase: 40, bestOutcome: 80, expected: 60, quota: 100 });
    expect(geometry.scale).toBeCloseTo(108);
    expect(geometry.left).toBeCloseTo((40 / 108) * 100);
    expect(geometry.width).toBeCloseTo((40 / 108) * 100);
    expect(geometry.expected).toBeCloseTo((60 / 108) * 100);
    expect(geometry.quota).toBeCloseTo((100 / 108) * 100);
    // An exact range (no uncertain deal) still shows as a sliver; no quota, no line; nothing at all, no division by zero.
    expect(rangeGeometry({ worstCase: 50, bestOutcome: 50, expected: 50, quota: null })).toMatchObject({ width: 0.6, quota: null });
    expect(rangeGeometry({ worstCase: 0, bestOutcome: 0, expected: 0, quota: null })).toMatchObject({ left: 0, expected: 0, scale: 1 });
  });

  it('should order a leaderboard by rank, then points, then name', () => {
    const rows = [
      { rank: 2, points: 10, name: 'B' },
      { rank: 1, points: 30, name: 'A' },
      { rank: 2, points: 10, name: 'A' },
      { rank: 2, points: 20, name: 'C' },
    ];
    expect(byRank(rows).map((row) => `${row.rank}${row.name}`)).toEqual(['1A', '2C', '2A', '2B']);
  });
});

describe('needs attention', () => {
  it('should read stalled reasons in a fixed order and colour them', () => {
    expect(stalledReasonsOf(['closeDatePassed', 'noActivity', 'custom'])).toEqual(['noActivity', 'closeDatePassed', 'custom']);
    expect(stalledReasonsOf(null)).toEqual([]);
    expect(stalledReasonsOf('noActivity')).toEqual([]);
    expect(stalledSeverityOf([])).toBeNull();
    expect(stalledSeverityOf(['noActivity'])).toBe('orange');
    expect(stalledSeverityOf(['longInStage', 'closeDatePassed'])).toBe('red');
  });

  it('should recognise the preset in the address', () => {
    expect(isNeedsAttention(JSON.stringify(NEEDS_ATTENTION_RULES))).toBe(true);
    expect(isNeedsAttention(JSON.stringify([{ field: 'stalledReasons', op: 'isEmpty' }]))).toBe(false);
    expect(isNeedsAttention(JSON.stringify([{ field: 'stalledReasons', op: 'isNotEmpty', value: '' }]))).toBe(true);
    expect(isNeedsAttention(JSON.stringify([...NEEDS_ATTENTION_RULES, { field: 'name', op: 'contains', value: 'a' }]))).toBe(false);
    expect(isNeedsAttention('{not json')).toBe(false);
    expect(isNeedsAttention(null)).toBe(false);
  });
});

describe('deal insights', () => {
  it('should read the history the win probability has and needs, in either shape', () => {
    expect(historyNeedOf({ history: { closed: 12 }, needed: { closed: 40, eachOutcome: 10 } })).toEqual({ closed: 12, needed: 40 });
    expect(historyNeedOf({ closed: 3, needed: 40 })).toEqual({ closed: 3, needed: 40 });
    expect(historyNeedOf({})).toEqual({ closed: 0, needed: 0 });
  });
});

describe('concurrency limit', () => {
  it('should run at most the limit at once and every task in the end', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let highest = 0;
    const task = (value: number) => async () => {
      running += 1;
      highest = Math.max(highest, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return value;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((value) => limit(task(value))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(highest).toBe(2);
  });

  it('should free its slot when a task fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limit(async () => 'yes')).resolves.toBe('yes');
  });
});

describe('trendGapOf', () => {
  const company = { teamId: null, ownerId: null, pipeline: null };
  it('should tell a team or a pipeline has no snapshots, whatever the answer', () => {
    expect(trendGapOf({ teamId: 't1', ownerId: null, pipeline: null }, [])).toBe('scope');
    expect(trendGapOf({ teamId: null, ownerId: 'u1', pipeline: 'p1' }, [{ takenOn: '2026-11-02' }])).toBe('scope');
  });
  it('should read one rep of a team as the rep', () => {
    expect(trendGapOf({ teamId: 't1', ownerId: 'u1', pipeline: null }, [])).toBe('notYet');
    expect(trendGapOf({ teamId: 't1', ownerId: 'u1', pipeline: null }, [{ takenOn: '2026-11-02' }])).toBeNull();
  });
  it('should tell none was taken yet for the company or a rep, and nothing once there are some', () => {
    expect(trendGapOf(company, [])).toBe('notYet');
    expect(trendGapOf(company, undefined)).toBe('notYet');
    expect(trendGapOf(company, [{ takenOn: '2026-11-02' }])).toBeNull();
  });
});
