import { createDemoRandom, createWeightedPicker, type DemoRandom } from '../../demo/demo-random.ts';
import { sigmoid } from './logistic-fit.ts';
import type { WinExample, WinFeatureSpec } from './win-model.ts';

export interface GenerateDealHistoryOptions {
  count: number;
  seed: number;
  /** Strength of the known signal: 1 by default, 0 for outcomes that are pure chance at the base win rate. */
  signal?: number;
}

/** The generated features and how to read them. */
export const dealHistoryFeatures: WinFeatureSpec[] = [
  { name: 'stageReached', kind: 'category' },
  { name: 'daysSinceLastActivity', kind: 'number' },
  { name: 'activityCount', kind: 'number' },
  { name: 'amount', kind: 'logNumber' },
  { name: 'industry', kind: 'category' },
  { name: 'noiseScore', kind: 'number' },
  { name: 'noiseRegion', kind: 'category' },
  { name: 'noiseFlag', kind: 'category' },
];

export const signalFeatureNames = ['stageReached', 'daysSinceLastActivity', 'activityCount', 'amount', 'industry'];
export const noiseFeatureNames = ['noiseScore', 'noiseRegion', 'noiseFlag'];

/** The true log-odds of the generated history; the model should find these again. */
export const dealHistorySignal = {
  intercept: 0.5,
  stageReached: { qualification: -2.4, meeting: -0.8, proposal: 0.8, negotiation: 2.4 } as Record<string, number>,
  perDaySinceLastActivity: -0.08,
  perActivity: 0.18,
  perLogAmount: -0.5,
  industry: { software: 0.6, finance: 0.3, retail: -0.6, education: -0.4 } as Record<string, number>,
};

const pickStage = createWeightedPicker([
  { value: 'qualification', weight: 30 },
  { value: 'meeting', weight: 25 },
  { value: 'proposal', weight: 25 },
  { value: 'negotiation', weight: 20 },
]);

// Mining and shipping are rare (0.2% each): in a history of a couple of thousand deals they often fall under the
// model's 5 sightings and into its "other" industry.
const pickIndustry = createWeightedPicker(
  ['software', 'manufacturing', 'retail', 'finance', 'healthcare', 'education', 'logistics', 'energy']
    .map((value) => ({ value, weight: 12 }))
    .concat([
      { value: 'mining', weight: 0.2 },
      { value: 'shipping', weight: 0.2 },
    ]),
);

const drawNormal = (random: DemoRandom) => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/**
 * Closed deals with a known signal, for tests and benchmarks. The win log-odds are 0.5 + signal · (stage
 * (qualification −2.4, meeting −0.8, proposal +0.8, negotiation +2.4) − 0.08 · days since the last activity
 * + 0.18 · (activities − 10) − 0.5 · ln(amount / 20,000) + industry (software +0.6, finance +0.3, retail −0.6,
 * education −0.4)); noiseScore, noiseRegion and noiseFlag have no effect. Days since the last activity are
 * exponential (mean 12), activities uniform 0..20, amounts log-normal around 20,000. One deal in twenty has no
 * recorded last activity (null), though its true value still counts. About 42% are won.
 */
export const generateDealHistory = ({ count, seed, signal = 1 }: GenerateDealHistoryOptions): WinExample[] => {
  const random = createDemoRandom(seed);
  const truth = dealHistorySignal;
  return Array.from({ length: count }, (): WinExample => {
    const stageReached = pickStage(random);
    const daysSinceLastActivity = Math.min(Math.round(-12 * Math.log(1 - random.next())), 365);
    const activityCount = random.int(0, 20);
    const amount = Math.round(20_000 * Math.exp(drawNormal(random)));
    const industry = pickIndustry(random);
    const logOdds =
      truth.stageReached[stageReached]! +
      truth.perDaySinceLastActivity * daysSinceLastActivity +
      truth.perActivity * (activityCount - 10) +
      truth.perLogAmount * Math.log(amount / 20_000) +
      (truth.industry[industry] ?? 0);
    return {
      features: {
        stageReached,
        daysSinceLastActivity: random.chance(0.05) ? null : daysSinceLastActivity,
        activityCount,
        amount,
        industry,
        noiseScore: random.int(0, 100),
        noiseRegion: random.pick(['north', 'south', 'east', 'west', 'central']),
        noiseFlag: random.chance(0.5),
      },
      won: random.chance(sigmoid(truth.intercept + signal * logOdds)),
    };
  });
};
