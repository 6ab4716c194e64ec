import { describe, expect, it } from 'vitest';
import { roundMoney } from '@rapport/common/values/index';
import { computeForecastFigures, type ForecastDeal } from './forecast-figures.ts';

// A period of nine deals. The open, not omitted ones (A to E) are the simulated ones.
const deals: ForecastDeal[] = [
  { amount: 10_000, probability: 1, forecastCategory: 'closed', stageKind: 'won' },
  { amount: 5_000.5, probability: 1, forecastCategory: 'commit', stageKind: 'won' },
  { amount: 8_000, probability: 0, forecastCategory: 'commit', stageKind: 'lost' },
  { amount: 20_000, probability: 0.8, forecastCategory: 'commit', stageKind: 'open' }, // A
  { amount: 4_000, probability: 0.9, forecastCategory: 'commit', stageKind: 'open' }, // B
  { amount: 12_000, probability: 0.5, forecastCategory: 'bestCase', stageKind: 'open' }, // C
  { amount: 30_000, probability: 0.2, forecastCategory: 'pipeline', stageKind: 'open' }, // D
  { amount: 1_000.333, probability: 0.5, forecastCategory: 'pipeline', stageKind: 'open' }, // E
  { amount: 50_000, probability: 0.1, forecastCategory: 'omitted', stageKind: 'open' },
];

describe('computeForecastFigures', () => {
  it('should compute the cumulative figures by hand when given a fixed period', () => {
    const figures = computeForecastFigures({ deals, quota: 100_000, range: { seed: 7 } });

    // closedWon = 10,000 + 5,000.50 (won counts whatever its category; the lost deal nowhere).
    // commit = 15,000.50 + A 20,000 + B 4,000 = 39,000.50. bestCase = 39,000.50 + C 12,000 = 51,000.50.
    // weightedPipeline = 16,000 + 3,600 + 6,000 + 6,000 + 500.1665 = 32,100.1665, rounded once at the end.
    // expected = 15,000.50 + 32,100.1665 = 47,100.6665.
    // rangeLow: a total under 16,000 needs A and D lost (0.2 · 0.8 = 0.16) and not B+C (0.225) nor B+C+E (0.225):
    //   P(< 16,000) = 0.16 · 0.55 = 0.088 and P(= 16,000, B+C alone) = 0.16 · 0.225 = 0.036, so the 10% quantile
    //   is 16,000 (0.088 < 0.1 < 0.124) and worstCase = 15,000.50 + 16,000.
    // rangeHigh: above 55,000.333 needs A, D and C won (0.16 · 0.5 = 0.08); A+D+B+E = 55,000.333 has
    //   0.16 · 0.5 · 0.9 · 0.5 = 0.036, so P(< 55,000.333) = 0.884 < 0.9 < 0.92 and the 90% quantile is 55,000.333.
    expect(figures).toEqual({
      quota: 100_000,
      closedWon: 15_000.5,
      commit: 39_000.5,
      bestCase: 51_000.5,
      weightedPipeline: 32_100.17,
      worstCase: 31_000.5,
      expected: 47_100.67,
      rangeLow: 16_000,
      rangeHigh: 55_000.33,
    });
  });

  it('should give the same figures for the same seed', () => {
    const first = computeForecastFigures({ deals, quota: 1, range: { seed: 1, runs: 500 } });

    expect(computeForecastFigures({ deals, quota: 1, range: { seed: 1, runs: 500 } })).toEqual(first);
  });

  it('should answer zeros apart from the quota when the period has no deals', () => {
    expect(computeForecastFigures({ deals: [], quota: 25_000 })).toEqual({
      quota: 25_000,
      closedWon: 0,
      commit: 0,
      bestCase: 0,
      weightedPipeline: 0,
      worstCase: 0,
      expected: 0,
      rangeLow: 0,
      rangeHigh: 0,
    });
  });

  it('should count an open deal in the closed category as committed', () => {
    const figures = computeForecastFigures({
      deals: [{ amount: 300, probability: 0.9, forecastCategory: 'closed', stageKind: 'open' }],
      quota: 0,
    });

    expect(figures.commit).toBe(300);
    expect(figures.bestCase).toBe(300);
    expect(figures.weightedPipeline).toBe(270);
  });
});

describe('roundMoney', () => {
  it('should round half away from zero to cents when the binary value sits just below the half', () => {
    expect(roundMoney(1.005)).toBe(1.01);
    expect(roundMoney(-1.005)).toBe(-1.01);
    expect(roundMoney(2.344)).toBe(2.34);
    expect(Object.is(roundMoney(-0.001), 0)).toBe(true);
  });
});
