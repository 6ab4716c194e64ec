import { describe, expect, it } from 'vitest';
import { dealHistoryFeatures, generateDealHistory, noiseFeatureNames, signalFeatureNames } from './synthetic-history.ts';
import { predictWin, trainWinModel, type WinModel, type WinModelResult } from './win-model.ts';

const getTrained = (result: WinModelResult): Extract<WinModelResult, { status: 'trained' }> => {
  if (result.status !== 'trained') throw new Error(`expected a trained model, got ${result.status}`);
  return result;
};

const history = generateDealHistory({ count: 2_000, seed: 1 });
const trained = getTrained(trainWinModel(history, { features: dealHistoryFeatures, seed: 1 }));
const { model } = trained;

// A deal at typical values everywhere, with the noise features at their averages.
const typicalDeal = {
  stageReached: 'proposal',
  daysSinceLastActivity: 8,
  activityCount: 12,
  amount: 20_000,
  industry: 'software',
  noiseScore: 50,
  noiseRegion: 'central',
  noiseFlag: true,
};

describe('trainWinModel', () => {
  it('should answer insufficientHistory with the counts when there are too few closed deals', () => {
    const result = trainWinModel(generateDealHistory({ count: 39, seed: 2 }));

    expect(result).toMatchObject({ status: 'insufficientHistory', closed: 39, needed: { closed: 40, eachOutcome: 10 } });
    if (result.status !== 'insufficientHistory') return;
    expect(result.won + result.lost).toBe(39);
  });

  it('should answer insufficientHistory when one outcome has fewer than 10 deals', () => {
    const examples = generateDealHistory({ count: 200, seed: 3 });
    const fewWins = [...examples.filter((example) => !example.won), ...examples.filter((example) => example.won).slice(0, 9)];

    expect(trainWinModel(fewWins)).toEqual({
      status: 'insufficientHistory',
      closed: fewWins.length,
      won: 9,
      lost: fewWins.length - 9,
      needed: { closed: 40, eachOutcome: 10 },
    });
  });

  it('should predict held-out deals well and beat the baseline when trained on 2,000 deals with a known signal', () => {
    // The generated signal supports about 0.80 accuracy and 0.88 AUC (over 30 seeds: at least 0.77 and 0.85).
    const { evaluation } = trained;

    expect(evaluation.heldOut).toBe(400);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(evaluation.auc).toBeGreaterThanOrEqual(0.8);
    expect(evaluation.accuracy).toBeGreaterThan(evaluation.baselineAccuracy + 0.1);
    expect(evaluation.brier).toBeLessThan(0.2);
  });

  it('should find the known weights again when the history is large', () => {
    const large = getTrained(trainWinModel(generateDealHistory({ count: 20_000, seed: 4 }), { features: dealHistoryFeatures })).model;
    const feature = (name: string) => large.features.find((candidate) => candidate.name === name)!;

    const days = feature('daysSinceLastActivity');
    const stage = feature('stageReached');
    if (days.kind === 'category' || stage.kind !== 'category') throw new Error('unexpected kinds');
    // −0.08 a day, standardised: weight ≈ −0.08 · sd of the days (≈ 12).
    expect(days.weight / days.scale).toBeCloseTo(-0.08, 1);
    const stageWeight = (value: string) => stage.levels.find((level) => level.value === value)!.weight;
    expect(stageWeight('negotiation') - stageWeight('qualification')).toBeCloseTo(4.8, 0);
    for (const name of noiseFeatureNames) {
      const noise = feature(name);
      const weights = noise.kind === 'category' ? noise.levels.map((level) => level.weight) : [noise.weight];
      expect(Math.max(...weights.map(Math.abs))).toBeLessThan(0.1);
    }
  });

  it('should train the same model for the same seed and history', () => {
    const again = trainWinModel(history, { features: dealHistoryFeatures, seed: 1 });

    expect(JSON.stringify(again)).toBe(JSON.stringify(trained));
  });

  it('should infer the feature kinds when no spec is given', () => {
    const inferred = getTrained(trainWinModel(history, { seed: 1 })).model;

    expect(inferred.features.map((feature) => [feature.name, feature.kind])).toEqual([
      ['stageReached', 'category'],
      ['daysSinceLastActivity', 'number'],
      ['activityCount', 'number'],
      ['amount', 'number'],
      ['industry', 'category'],
      ['noiseScore', 'number'],
      ['noiseRegion', 'category'],
      ['noiseFlag', 'category'],
    ]);
  });

  it('should train on 20,000 deals within a few seconds when timed', () => {
    // Measured on a 2-core VM (Node 20), idle: 0.3-0.5 s for both fits (the 80% evaluation fit and the full
    // refit, 7 Newton steps each) and the held-out scoring; 0.7-1 s of wall time when other tests share the
    // machine. The guard is loose and counts CPU time, not wall time.
    const examples = generateDealHistory({ count: 20_000, seed: 5 });

    const cpuBefore = process.cpuUsage();
    const result = trainWinModel(examples, { features: dealHistoryFeatures });
    const cpu = process.cpuUsage(cpuBefore);

    expect(result.status).toBe('trained');
    expect((cpu.user + cpu.system) / 1_000).toBeLessThan(5_000);
  });
});

describe('predictWin', () => {
  it('should name the driving feature first and no noise feature when a deal is driven by one feature', () => {
    const stale = predictWin(model, { ...typicalDeal, daysSinceLastActivity: 90 });

    expect(stale.factors).toHaveLength(3);
    expect(stale.factors[0]).toMatchObject({ feature: 'daysSinceLastActivity', value: 90, direction: 'down' });
    expect(stale.factors[0]!.effect).toBeLessThan(-4);
    for (const factor of stale.factors) expect(signalFeatureNames).toContain(factor.feature);
    expect(stale.probability).toBeLessThan(0.05);
  });

  it('should name the stage when the stage drives the deal', () => {
    const late = predictWin(model, { ...typicalDeal, stageReached: 'negotiation' });
    const early = predictWin(model, { ...typicalDeal, stageReached: 'qualification' });

    expect(late.factors[0]).toMatchObject({ feature: 'stageReached', value: 'negotiation', direction: 'up' });
    expect(early.factors[0]).toMatchObject({ feature: 'stageReached', value: 'qualification', direction: 'down' });
    expect(late.probability).toBeGreaterThan(early.probability + 0.5);
  });

  it('should add up the effects to the log-odds of the deal against the average training deal', () => {
    const small = getTrained(
      trainWinModel(history, {
        features: dealHistoryFeatures.filter(({ name }) => ['stageReached', 'daysSinceLastActivity', 'industry'].includes(name)),
      }),
    ).model;
    // The average deal: every column at its training mean (0 for a standardised value, the share for the others).
    const averageLogOdds = small.features.reduce((sum, feature) => {
      if (feature.kind !== 'category') return sum + (feature.missing ? feature.missing.weight * feature.missing.share : 0);
      const columns = feature.other ? [...feature.levels, feature.other] : feature.levels;
      return sum + columns.reduce((inner, column) => inner + column.weight * column.share, 0);
    }, small.intercept);

    const prediction = predictWin(small, { stageReached: 'meeting', daysSinceLastActivity: 30, industry: 'retail' });

    expect(prediction.factors.map((factor) => factor.feature).sort()).toEqual(['daysSinceLastActivity', 'industry', 'stageReached']);
    const logOdds = Math.log(prediction.probability / (1 - prediction.probability));
    expect(logOdds).toBeCloseTo(averageLogOdds + prediction.factors.reduce((sum, factor) => sum + factor.effect, 0), 9);
  });

  it('should predict the same after the model round-trips through JSON', () => {
    const stored = JSON.parse(JSON.stringify(model)) as WinModel;

    for (const example of history.slice(0, 50)) expect(predictWin(stored, example.features)).toEqual(predictWin(model, example.features));
  });

  it('should treat unseen categories as other and missing numbers as missing', () => {
    const prediction = predictWin(model, { ...typicalDeal, industry: 'aerospace', daysSinceLastActivity: null, amount: 'n/a' });

    expect(Number.isFinite(prediction.probability)).toBe(true);
    expect(prediction.probability).toBeGreaterThan(0);
    expect(prediction.probability).toBeLessThan(1);
  });
});
