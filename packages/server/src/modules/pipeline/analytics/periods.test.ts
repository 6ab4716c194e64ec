import { describe, expect, it } from 'vitest';
import { parsePeriod, periodDays, periodOf, previousPeriod } from './periods.ts';

describe('sales periods', () => {
  it('should read years, quarters, months and ISO weeks as half-open day ranges', () => {
    expect(parsePeriod('2026')).toEqual({ key: '2026', kind: 'year', start: '2026-01-01', end: '2027-01-01' });
    expect(parsePeriod('2026-q4')).toEqual({ key: '2026-Q4', kind: 'quarter', start: '2026-10-01', end: '2027-01-01' });
    expect(parsePeriod('2024-02')).toEqual({ key: '2024-02', kind: 'month', start: '2024-02-01', end: '2024-03-01' });
    // 2026-W01 starts on Monday 29 December 2025 (the week of the year's first Thursday).
    expect(parsePeriod('2026-W01')).toEqual({ key: '2026-W01', kind: 'week', start: '2025-12-29', end: '2026-01-05' });
    expect(parsePeriod('2025-W53')).toBeUndefined();
    expect(parsePeriod('2026-W53')).toMatchObject({ start: '2026-12-28', end: '2027-01-04' });
    expect(parsePeriod('2020-W53')).toMatchObject({ start: '2020-12-28' });
  });

  it('should refuse what names no period', () => {
    for (const text of ['', '26', '2026-Q5', '2026-13', '2026-00', 'Q4', 'last quarter']) expect(parsePeriod(text)).toBeUndefined();
  });

  it('should find the period holding a day, the one before and its length', () => {
    expect(periodOf('quarter', '2026-11-23').key).toBe('2026-Q4');
    expect(previousPeriod(parsePeriod('2026-Q1')!).key).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026-01')!).key).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-W01')!).key).toBe('2025-W52');
    expect(periodDays(parsePeriod('2024-Q1')!)).toBe(91);
  });
});
