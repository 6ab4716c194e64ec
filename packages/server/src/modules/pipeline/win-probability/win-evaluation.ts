import { createDemoRandom } from '../../demo/demo-random.ts';

export interface WinEvaluation {
  /** Examples held out of the evaluation fit and scored here. */
  heldOut: number;
  /** Share of held-out deals on the right side of 50%. */
  accuracy: number;
  /** Chance that a random won deal scores above a random lost one (0.5 is guessing, 1 perfect). */
  auc: number;
  /** Mean squared error of the probabilities (0 is perfect; always answering the win rate scores about 0.24). */
  brier: number;
  /** Accuracy of always answering the training split's more common outcome. */
  baselineAccuracy: number;
}

interface SplitOptions {
  outcomes: readonly boolean[];
  share: number;
  seed: number;
}

/**
 * Indices of a held-out share of the examples, drawn apart among wins and among losses (stratified) so both sides
 * keep the win rate; a seeded Fisher–Yates shuffle makes it repeatable.
 */
export const splitStratified = ({ outcomes, share, seed }: SplitOptions): { training: number[]; heldOut: number[] } => {
  const random = createDemoRandom(seed);
  const training: number[] = [];
  const heldOut: number[] = [];
  for (const outcome of [true, false]) {
    const indices = outcomes.flatMap((won, index) => (won === outcome ? [index] : []));
    for (let i = indices.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [indices[i], indices[j]] = [indices[j]!, indices[i]!];
    }
    const held = Math.round(indices.length * share);
    heldOut.push(...indices.slice(0, held));
    training.push(...indices.slice(held));
  }
  const ascending = (a: number, b: number) => a - b;
  return { training: training.sort(ascending), heldOut: heldOut.sort(ascending) };
};

interface EvaluateOptions {
  probabilities: readonly number[];
  outcomes: readonly boolean[];
  /** Win rate of the training split, for the baseline. */
  trainingWinRate: number;
}

export const evaluatePredictions = ({ probabilities, outcomes, trainingWinRate }: EvaluateOptions): WinEvaluation => {
  const count = outcomes.length;
  let correct = 0;
  let squares = 0;
  let baselineCorrect = 0;
  const baseline = trainingWinRate >= 0.5;
  outcomes.forEach((won, i) => {
    const probability = probabilities[i]!;
    if (probability >= 0.5 === won) correct++;
    if (baseline === won) baselineCorrect++;
    squares += (probability - (won ? 1 : 0)) ** 2;
  });
  return {
    heldOut: count,
    accuracy: count > 0 ? correct / count : 0,
    auc: computeAuc({ probabilities, outcomes }),
    brier: count > 0 ? squares / count : 0,
    baselineAccuracy: count > 0 ? baselineCorrect / count : 0,
  };
};

/** The area under the ROC curve as the Mann–Whitney statistic, tied scores sharing their average rank. */
export const computeAuc = ({ probabilities, outcomes }: Omit<EvaluateOptions, 'trainingWinRate'>): number => {
  const order = probabilities.map((_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  const wins = outcomes.filter(Boolean).length;
  const losses = outcomes.length - wins;
  if (wins === 0 || losses === 0) return 0.5;
  let rankSumOfWins = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && probabilities[order[end + 1]!] === probabilities[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) if (outcomes[order[k]!]) rankSumOfWins += averageRank;
    start = end + 1;
  }
  return (rankSumOfWins - (wins * (wins + 1)) / 2) / (wins * losses);
};
