import { describe, expect, it } from 'vitest';
import { createDemoRandom } from '../../demo/demo-random.ts';
import { inverseNormal, simulateForecastRange } from './forecast-range.ts';

const buildDeals = ({ count, seed }: { count: number; seed: number }) => {
  const random = createDemoRandom(seed);
  return Array.from({ length: count }, () => ({ amount: random.int(1_000, 100_000), probability: random.int(1, 99) / 100 }));
};

describe('simulateForecastRange', () => {
  it('should answer zeros when there are no deals', () => {
    expect(simulateForecastRange([])).toEqual({ worstCase: 0, bestCase: 0, expected: 0, runs: 0, method: 'exact' });
  });

  it('should be exact when every deal is certain either way', () => {
    const deals = [
      { amount: 500, probability: 1 },
      { amount: 700, probability: 0 },
      { amount: 250, probability: 1 },
    ];

    expect(simulateForecastRange(deals)).toEqual({ worstCase: 750, bestCase: 750, expected: 750, runs: 0, method: 'exact' });
  });

  it('should add certain deals exactly to the simulated ones', () => {
    const uncertain = [{ amount: 100, probability: 0.5 }];
    const withCertain = [...uncertain, { amount: 1_000, probability: 1 }, { amount: 9_999, probability: 0 }];

    const alone = simulateForecastRange(uncertain, { seed: 3 });
    const mixed = simulateForecastRange(withCertain, { seed: 3 });

    expect(mixed.worstCase).toBe(alone.worstCase + 1_000);
    expect(mixed.bestCase).toBe(alone.bestCase + 1_000);
    expect(mixed.expected).toBe(1_050);
  });

  it('should match the exact binomial quantiles when 10 deals of 100 each have an even chance', () => {
    // Wins ~ Binomial(10, 0.5): P(X <= 2) = 56/1024 = 0.055, P(X <= 3) = 176/1024 = 0.172, so the 10% quantile
    // is 3 wins (300); P(X <= 6) = 848/1024 = 0.828, P(X <= 7) = 968/1024 = 0.945, so the 90% quantile is 700.
    const deals = Array.from({ length: 10 }, () => ({ amount: 100, probability: 0.5 }));

    const range = simulateForecastRange(deals, { seed: 11 });

    expect(range.method).toBe('monteCarlo');
    expect(range.runs).toBe(10_000);
    expect(range.expected).toBe(500);
    expect(Math.abs(range.worstCase - 300)).toBeLessThanOrEqual(100);
    expect(Math.abs(range.bestCase - 700)).toBeLessThanOrEqual(100);
  });

  it('should give the same range for the same seed and another for another seed', () => {
    const deals = buildDeals({ count: 200, seed: 5 });

    const first = simulateForecastRange(deals, { seed: 42, runs: 2_000 });
    const again = simulateForecastRange(deals, { seed: 42, runs: 2_000 });
    const other = simulateForecastRange(deals, { seed: 43, runs: 2_000 });

    expect(again).toEqual(first);
    expect(other.worstCase).not.toBe(first.worstCase);
    expect(simulateForecastRange(deals, { runs: 2_000 })).toEqual(simulateForecastRange(deals, { runs: 2_000 }));
  });

  it('should agree with the normal approximation when many comparable deals make the sum bell-shaped', () => {
    const deals = buildDeals({ count: 2_500, seed: 9 });

    const simulated = simulateForecastRange(deals, { method: 'monteCarlo' });
    const normal = simulateForecastRange(deals, { method: 'normal' });

    expect(normal.method).toBe('normal');
    expect(normal.expected).toBe(simulated.expected);
    const sd = Math.sqrt(deals.reduce((sum, { amount, probability }) => sum + amount ** 2 * probability * (1 - probability), 0));
    // The quantile of 10,000 runs is within a few hundredths of a standard deviation of the true one.
    expect(Math.abs(simulated.worstCase - normal.worstCase)).toBeLessThan(0.05 * sd);
    expect(Math.abs(simulated.bestCase - normal.bestCase)).toBeLessThan(0.05 * sd);
    expect(normal.bestCase - normal.expected).toBeCloseTo(inverseNormal(0.9) * sd, 6);
  });

  it('should keep simulating when one deal dominates the sum, however many deals there are', () => {
    const deals = [...buildDeals({ count: 3_000, seed: 4 }), { amount: 50_000_000, probability: 0.5 }];

    const range = simulateForecastRange(deals, { runs: 10_000 });

    expect(range.method).toBe('monteCarlo');
    // Half the runs win the big deal: the range spans it instead of a bell around the mean.
    expect(range.bestCase - range.worstCase).toBeGreaterThan(50_000_000);
  });

  it('should refuse probabilities outside 0..1 when given percents by mistake', () => {
    expect(() => simulateForecastRange([{ amount: 100, probability: 50 }])).toThrow(RangeError);
    expect(() => simulateForecastRange([{ amount: Number.NaN, probability: 0.5 }])).toThrow(RangeError);
    expect(() => simulateForecastRange([], { lowQuantile: 0.9, highQuantile: 0.1 })).toThrow(RangeError);
  });

  it('should simulate 5,000 deals × 10,000 runs well within the guard when timed', () => {
    // Measured on a 2-core VM (Node 20), idle: 0.17-0.33 s simulated; 'auto' takes the normal approximation here
    // (about 2 ms). The guard is loose and counts CPU time, not wall time: a busy machine (other test files in
    // parallel) stretched the wall time of this case to 1.8 s while its CPU time stayed near 0.35 s.
    const deals = buildDeals({ count: 5_000, seed: 1 });

    const cpuBefore = process.cpuUsage();
    const simulated = simulateForecastRange(deals, { runs: 10_000, method: 'monteCarlo' });
    const cpu = process.cpuUsage(cpuBefore);
    const auto = simulateForecastRange(deals, { runs: 10_000 });

    expect(simulated.runs).toBe(10_000);
    expect(auto.method).toBe('normal');
    expect((cpu.user + cpu.system) / 1_000).toBeLessThan(2_000);
  });
});
