import { fitLogistic, sigmoid } from './logistic-fit.ts';
import { evaluatePredictions, splitStratified, type WinEvaluation } from './win-evaluation.ts';
import {
  compareText,
  DEFAULT_MIN_CATEGORY_COUNT,
  fitEncoding,
  inferFeatureSpecs,
  layOutColumns,
  listColumns,
  readFeature,
  withWeights,
  type FeatureValue,
  type WinFeatureSpec,
  type WinModelFeature,
} from './win-encoding.ts';

export type { FeatureValue, WinFeatureSpec, WinModelFeature } from './win-encoding.ts';
export type { WinEvaluation } from './win-evaluation.ts';

export interface WinExample {
  features: Record<string, FeatureValue>;
  won: boolean;
}

/** A trained model: plain JSON, to store as it is and hand back to predictWin. */
export interface WinModel {
  version: 1;
  intercept: number;
  features: WinModelFeature[];
  trainedOn: { closed: number; won: number; lost: number };
}

export const MIN_HISTORY = { closed: 40, eachOutcome: 10 } as const;

export type WinModelResult =
  | {
      status: 'insufficientHistory';
      closed: number;
      won: number;
      lost: number;
      needed: { closed: 40; eachOutcome: 10 };
    }
  | { status: 'trained'; model: WinModel; evaluation: WinEvaluation };

export interface TrainWinModelOptions {
  /** How to read each feature; inferred from the values when left out (numbers stay numbers, the rest categories). */
  features?: readonly WinFeatureSpec[];
  /** Seed of the held-out split; 1 by default. */
  seed?: number;
  /** L2 penalty λ; 1 by default. */
  l2?: number;
  /** Newton steps at most; 25 by default (a fit usually settles in 6 to 10). */
  maxIterations?: number;
  /** A category value seen fewer times goes to "other"; 5 by default. */
  minCategoryCount?: number;
  /** Share held out for the evaluation; 0.2 by default. */
  holdOutShare?: number;
}

export interface WinFactor {
  feature: string;
  value: FeatureValue;
  /** Log-odds this feature adds compared with the average training deal (its columns at their training means). */
  effect: number;
  direction: 'up' | 'down';
}

export interface WinPrediction {
  probability: number;
  /** The three features that move this deal's odds most, largest first. */
  factors: WinFactor[];
}

/**
 * Learns how a workspace's closed opportunities were won or lost: logistic regression on encoded features.
 *
 * Numbers are standardised with the training mean and standard deviation (optionally after sign(x)·ln(1 + |x|)
 * for skewed amounts and ages); a missing number takes the mean, plus a missing-indicator column when training
 * had missing values. Strings and booleans are one-hot over values seen at least 5 times, the rest "other".
 * The fit is L2-regularised Newton/IRLS (see fitLogistic): no randomness, so the same history gives the same model.
 *
 * With fewer than 40 closed deals, or fewer than 10 won or 10 lost, it answers 'insufficientHistory' with the
 * counts instead of guessing. Otherwise it holds out 20% (seeded, stratified by outcome), fits encoding and model
 * on the rest, scores the held-out deals (accuracy, AUC, Brier score and the majority-class baseline), then refits
 * on every example for the stored model.
 */
export const trainWinModel = (examples: readonly WinExample[], options: TrainWinModelOptions = {}): WinModelResult => {
  const won = examples.filter((example) => example.won).length;
  const lost = examples.length - won;
  if (examples.length < MIN_HISTORY.closed || won < MIN_HISTORY.eachOutcome || lost < MIN_HISTORY.eachOutcome) {
    return { status: 'insufficientHistory', closed: examples.length, won, lost, needed: { ...MIN_HISTORY } };
  }
  const { seed = 1, holdOutShare = 0.2, l2 = 1 } = options;
  if (!(holdOutShare > 0 && holdOutShare < 1)) throw new RangeError(`holdOutShare must be between 0 and 1, got ${holdOutShare}`);
  if (!(l2 >= 0)) throw new RangeError(`l2 must not be negative, got ${l2}`);
  const specs = options.features ?? inferFeatureSpecs(examples.map((example) => example.features));

  const outcomes = examples.map((example) => example.won);
  const split = splitStratified({ outcomes, share: holdOutShare, seed });
  const trial = fitModel({ examples: split.training.map((i) => examples[i]!), specs, options });
  const heldOut = split.heldOut.map((i) => examples[i]!);
  const evaluation = evaluatePredictions({
    probabilities: heldOut.map((example) => predictProbability(trial, example.features)),
    outcomes: heldOut.map((example) => example.won),
    trainingWinRate: trial.trainedOn.won / trial.trainedOn.closed,
  });
  return { status: 'trained', model: fitModel({ examples, specs, options }), evaluation };
};

interface FitModelOptions {
  examples: readonly WinExample[];
  specs: readonly WinFeatureSpec[];
  options: TrainWinModelOptions;
}

const fitModel = ({ examples, specs, options }: FitModelOptions): WinModel => {
  const { l2 = 1, maxIterations = 25, minCategoryCount = DEFAULT_MIN_CATEGORY_COUNT } = options;
  const encoding = fitEncoding({ specs, rows: examples.map((example) => example.features), minCategoryCount });
  const layout = layOutColumns(encoding);
  // Column 0 of the fit is the intercept, so a feature column c is fit column c + 1.
  const rowStarts = new Uint32Array(examples.length + 1);
  const columns: number[] = [];
  const values: number[] = [];
  const emit = (column: number, value: number) => {
    columns.push(column + 1);
    values.push(value);
  };
  examples.forEach((example, r) => {
    emit(-1, 1); // the intercept, fit column 0
    for (const featureColumns of layout) featureColumns.encode(readFeature(example.features, featureColumns.feature.name), emit);
    rowStarts[r + 1] = columns.length;
  });
  const width = 1 + layout.reduce((sum, featureColumns) => sum + featureColumns.width, 0);
  const outcomes = Uint8Array.from(examples, (example) => (example.won ? 1 : 0));
  const { coefficients } = fitLogistic({
    rows: { rowStarts, columns: Uint32Array.from(columns), values: Float64Array.from(values), width },
    outcomes,
    l2,
    maxIterations,
  });
  const won = outcomes.reduce((sum, outcome) => sum + outcome, 0);
  return {
    version: 1,
    intercept: coefficients[0]!,
    features: withWeights(encoding, coefficients.subarray(1)),
    trainedOn: { closed: examples.length, won, lost: examples.length - won },
  };
};

interface FeatureEffect {
  feature: string;
  /** Σ weight · encoded value over the feature's columns. */
  contribution: number;
  /** The same at the training means of the columns. */
  average: number;
}

type Scorer = (features: Record<string, FeatureValue>) => FeatureEffect[];

// Laid out once per model object, so scoring many deals with one model does not rebuild the encoders (a model is
// treated as immutable once trained or loaded).
const scorers = new WeakMap<WinModel, Scorer>();

const getScorer = (model: WinModel): Scorer => {
  const cached = scorers.get(model);
  if (cached) return cached;
  const layout = layOutColumns(model.features).map((featureColumns) => {
    const columns = listColumns([featureColumns.feature]);
    const average = columns.reduce((sum, column) => sum + column.weight * column.share, 0);
    return { ...featureColumns, weights: columns.map((column) => column.weight), average };
  });
  const scorer: Scorer = (features) =>
    layout.map(({ feature, start, encode, weights, average }) => {
      let contribution = 0;
      encode(readFeature(features, feature.name), (column, value) => {
        contribution += weights[column - start]! * value;
      });
      return { feature: feature.name, contribution, average };
    });
  scorers.set(model, scorer);
  return scorer;
};

const predictProbability = (model: WinModel, features: Record<string, FeatureValue>): number =>
  sigmoid(getScorer(model)(features).reduce((sum, effect) => sum + effect.contribution, model.intercept));

/**
 * The chance a deal is won, and the three features that move it most. A factor's effect is its log-odds
 * contribution against the average training deal: Σ weight · (encoded value − training mean of the column) over
 * the feature's columns, so an average value has effect 0. Features the model never saw are ignored; a missing one
 * counts as missing (null).
 */
export const predictWin = (model: WinModel, features: Record<string, FeatureValue>): WinPrediction => {
  const effects = getScorer(model)(features);
  const probability = sigmoid(effects.reduce((sum, effect) => sum + effect.contribution, model.intercept));
  const factors = effects
    .map(({ feature, contribution, average }) => ({ feature, effect: contribution - average }))
    .filter(({ effect }) => effect !== 0)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || compareText(a.feature, b.feature))
    .slice(0, 3)
    .map(({ feature, effect }): WinFactor => ({ feature, value: readFeature(features, feature), effect, direction: effect > 0 ? 'up' : 'down' }));
  return { probability, factors };
};
