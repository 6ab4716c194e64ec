import { roundMoney } from '@rapport/common/values/index';
import { simulateForecastRange, type ForecastRangeOptions } from './forecast-range.ts';

export type ForecastCategory = 'pipeline' | 'bestCase' | 'commit' | 'closed' | 'omitted';
export type StageKind = 'open' | 'won' | 'lost';

export interface ForecastDeal {
  /** Already converted to the workspace's default currency. */
  amount: number;
  /** Chance of winning, 0..1. */
  probability: number;
  forecastCategory: ForecastCategory;
  stageKind: StageKind;
}

export interface ComputeForecastFiguresOptions {
  /** The period's deals: closed in the period, or open and expected to close in it. */
  deals: readonly ForecastDeal[];
  quota: number;
  /** Passed on to simulateForecastRange (runs, seed, quantiles). */
  range?: ForecastRangeOptions;
}

export interface ForecastFigures {
  quota: number;
  closedWon: number;
  commit: number;
  bestCase: number;
  weightedPipeline: number;
  /** closedWon + rangeLow: what the period reaches in a bad case (the low quantile, 10% by default). */
  worstCase: number;
  /** closedWon + weightedPipeline: the mean outcome of the period. */
  expected: number;
  /** Low quantile of the amount the open, not omitted deals bring in (without closedWon). */
  rangeLow: number;
  /** High quantile of the amount the open, not omitted deals bring in (without closedWon); closedWon + rangeHigh is the good case. */
  rangeHigh: number;
}

/**
 * A period's forecast figures, cumulative as in Salesforce's forecast categories:
 *
 * - closedWon = Σ amount of won deals (whatever their category).
 * - commit = closedWon + Σ amount of open deals in 'commit'.
 * - bestCase = commit + Σ amount of open deals in 'bestCase'.
 * - weightedPipeline = Σ amount · probability of open deals not 'omitted' (pipeline, best case and commit alike).
 * - rangeLow / rangeHigh = the low and high quantiles (10% and 90% by default) of what the open, not omitted deals
 *   bring in, each won or lost independently with its probability (simulateForecastRange). They are not called
 *   worst and best case so as not to clash with the 'bestCase' category.
 * - worstCase = closedWon + rangeLow; expected = closedWon + weightedPipeline.
 *
 * Lost deals count nowhere. An open deal in the 'closed' category (normally kept for won deals) counts as
 * committed. Money is rounded to cents once, at the end, so rounding never accumulates.
 */
export const computeForecastFigures = ({ deals, quota, range }: ComputeForecastFiguresOptions): ForecastFigures => {
  let closedWon = 0;
  let committed = 0;
  let upside = 0;
  let weightedPipeline = 0;
  const forecastable: { amount: number; probability: number }[] = [];
  for (const deal of deals) {
    if (deal.stageKind === 'won') closedWon += deal.amount;
    if (deal.stageKind !== 'open' || deal.forecastCategory === 'omitted') continue;
    if (deal.forecastCategory === 'commit' || deal.forecastCategory === 'closed') committed += deal.amount;
    if (deal.forecastCategory === 'bestCase') upside += deal.amount;
    weightedPipeline += deal.amount * deal.probability;
    forecastable.push({ amount: deal.amount, probability: deal.probability });
  }
  const { worstCase: rangeLow, bestCase: rangeHigh } = simulateForecastRange(forecastable, range);
  return {
    quota: roundMoney(quota),
    closedWon: roundMoney(closedWon),
    commit: roundMoney(closedWon + committed),
    bestCase: roundMoney(closedWon + committed + upside),
    weightedPipeline: roundMoney(weightedPipeline),
    worstCase: roundMoney(closedWon + rangeLow),
    expected: roundMoney(closedWon + weightedPipeline),
    rangeLow: roundMoney(rangeLow),
    rangeHigh: roundMoney(rangeHigh),
  };
};
