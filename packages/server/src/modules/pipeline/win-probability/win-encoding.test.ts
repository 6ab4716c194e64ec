import { describe, expect, it } from 'vitest';
import { fitEncoding, inferFeatureSpecs, layOutColumns, type FeatureValue } from './win-encoding.ts';

const rows: Record<string, FeatureValue>[] = [
  ...Array.from({ length: 5 }, () => ({ size: 1, plan: 'pro', age: Math.E - 1 })),
  ...Array.from({ length: 5 }, () => ({ size: 3, plan: 'basic', age: Math.E - 1 })),
  { size: null, plan: 'legacy', age: 0 },
  { size: 2, plan: true, age: Math.E ** 2 - 1 },
];

const specs = [
  { name: 'size', kind: 'number' as const },
  { name: 'plan', kind: 'category' as const },
  { name: 'age', kind: 'logNumber' as const },
];

const encodeRow = (row: Record<string, FeatureValue>) => {
  const layout = layOutColumns(fitEncoding({ specs, rows, minCategoryCount: 5 }));
  const columns: [number, number][] = [];
  for (const featureColumns of layout) featureColumns.encode(row[featureColumns.feature.name] ?? null, (column, value) => columns.push([column, value]));
  return columns;
};

describe('fitEncoding', () => {
  it('should standardise numbers, flag missing ones and pool rare categories when fitted on rows', () => {
    const [size, plan, age] = fitEncoding({ specs, rows, minCategoryCount: 5 });

    // size: 1 ×5, 3 ×5 and 2 → mean 2, sample sd √(10 / 10) = 1; one of twelve missing.
    expect(size).toEqual({ name: 'size', kind: 'number', center: 2, scale: 1, weight: 0, missing: { weight: 0, share: 1 / 12 } });
    // plan: 'pro' and 'basic' seen 5 times each get columns; 'legacy' and true (once each) go to "other".
    expect(plan).toEqual({
      name: 'plan',
      kind: 'category',
      levels: [
        { value: 'basic', weight: 0, share: 5 / 12 },
        { value: 'pro', weight: 0, share: 5 / 12 },
      ],
      other: { weight: 0, share: 2 / 12 },
    });
    // age: ln(1 + x) is 1 ten times, 0 once and 2 once → mean 1.
    expect(age).toMatchObject({ kind: 'logNumber', missing: null });
    if (age?.kind !== 'logNumber') throw new Error('unexpected kind');
    expect(age.center).toBeCloseTo(1, 12);
  });
});

describe('layOutColumns', () => {
  it('should encode a missing number as its indicator and an unseen category as other', () => {
    // Columns: 0 size, 1 size missing, 2 basic, 3 pro, 4 other, 5 age.
    const [, , age] = fitEncoding({ specs, rows, minCategoryCount: 5 });
    if (age?.kind !== 'logNumber') throw new Error('unexpected kind');

    expect(encodeRow({ size: null, plan: 'enterprise', age: Math.E - 1 })).toEqual([
      [1, 1],
      [4, 1],
      [5, (1 - age.center) / age.scale],
    ]);
    expect(encodeRow({ size: 4, plan: 'pro', age: Number.NaN })).toEqual([
      [0, 2],
      [3, 1],
    ]);
  });
});

describe('inferFeatureSpecs', () => {
  it('should read numbers as numbers and anything else as categories when no spec is given', () => {
    expect(inferFeatureSpecs([{ a: 1, b: 'x', c: null, d: true }, { a: null, b: 2, c: 3, d: false }])).toEqual([
      { name: 'a', kind: 'number' },
      { name: 'b', kind: 'category' },
      { name: 'c', kind: 'number' },
      { name: 'd', kind: 'category' },
    ]);
  });
});
