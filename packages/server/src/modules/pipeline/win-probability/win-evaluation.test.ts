import { describe, expect, it } from 'vitest';
import { computeAuc, evaluatePredictions, splitStratified } from './win-evaluation.ts';

describe('evaluatePredictions', () => {
  it('should score a hand-checked set of four predictions', () => {
    // Right at 0.9 (won) and 0.2 (lost), wrong at 0.6 (lost) and 0.4 (won): accuracy 2/4.
    // Brier: (0.1² + 0.2² + 0.6² + 0.6²) / 4 = 0.77 / 4. Training mostly lost, so the baseline answers "lost": 2/4.
    // AUC: won scores 0.9 and 0.4 against lost 0.2 and 0.6 win 3 of the 4 pairs.
    const evaluation = evaluatePredictions({
      probabilities: [0.9, 0.2, 0.6, 0.4],
      outcomes: [true, false, false, true],
      trainingWinRate: 0.3,
    });

    expect(evaluation.heldOut).toBe(4);
    expect(evaluation.accuracy).toBe(0.5);
    expect(evaluation.brier).toBeCloseTo(0.1925, 12);
    expect(evaluation.baselineAccuracy).toBe(0.5);
    expect(evaluation.auc).toBe(0.75);
  });
});

describe('computeAuc', () => {
  it('should count tied scores as half a pair when a win and a loss share a score', () => {
    expect(computeAuc({ probabilities: [0.5, 0.5], outcomes: [true, false] })).toBe(0.5);
    // Pairs (won 0.7 vs lost 0.7, 0.3): 0.5 + 1; (won 0.3 vs lost 0.7, 0.3): 0 + 0.5 → 2 / 4.
    expect(computeAuc({ probabilities: [0.7, 0.3, 0.7, 0.3], outcomes: [true, true, false, false] })).toBe(0.5);
    expect(computeAuc({ probabilities: [0.9, 0.8, 0.1], outcomes: [true, true, false] })).toBe(1);
  });
});

describe('splitStratified', () => {
  const outcomes = Array.from({ length: 100 }, (_, i) => i % 10 < 3);

  it('should hold out the share of wins and of losses apart when splitting', () => {
    const { training, heldOut } = splitStratified({ outcomes, share: 0.2, seed: 1 });

    expect(heldOut).toHaveLength(20);
    expect(heldOut.filter((i) => outcomes[i]).length).toBe(6);
    expect([...training, ...heldOut].sort((a, b) => a - b)).toEqual(outcomes.map((_, i) => i));
  });

  it('should repeat the split with the seed and change it with another seed', () => {
    const first = splitStratified({ outcomes, share: 0.2, seed: 1 });

    expect(splitStratified({ outcomes, share: 0.2, seed: 1 })).toEqual(first);
    expect(splitStratified({ outcomes, share: 0.2, seed: 2 }).heldOut).not.toEqual(first.heldOut);
  });
});
