export type FeatureValue = number | string | boolean | null;
export type FeatureKind = 'number' | 'logNumber' | 'category';

export interface WinFeatureSpec {
  name: string;
  /** 'logNumber' for skewed non-negative numbers (amounts, ages): sign(x)·ln(1 + |x|) before standardising. */
  kind: FeatureKind;
}

/** A model column, stored with its weight (log-odds per unit) and its mean over the training rows. */
export interface WinModelColumn {
  weight: number;
  share: number;
}

export type WinModelFeature =
  | {
      name: string;
      kind: 'number' | 'logNumber';
      /** Mean and standard deviation of the (log-)values seen; the column is (x − center) / scale. */
      center: number;
      scale: number;
      weight: number;
      /** The missing indicator, present when a training value was missing. */
      missing: WinModelColumn | null;
    }
  | {
      name: string;
      kind: 'category';
      /** One-hot columns of the values seen at least minCategoryCount times (null is a value of its own). */
      levels: (WinModelColumn & { value: string | null })[];
      /** The column of all rarer values, and of values never seen, when training had rare ones. */
      other: WinModelColumn | null;
    };

/** Where one original feature's columns sit in the design matrix. */
export interface FeatureColumns {
  feature: WinModelFeature;
  /** Index of the feature's first column. */
  start: number;
  width: number;
  /** Hands a row's non-zero columns for this feature to `emit`, as (column index, value). */
  encode(value: FeatureValue | undefined, emit: (column: number, value: number) => void): void;
}

export const DEFAULT_MIN_CATEGORY_COUNT = 5;

/** Number features take finite numbers; anything else (null, NaN, a stray string) counts as missing. */
const toNumber = (value: FeatureValue | undefined, kind: 'number' | 'logNumber'): number | null => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return kind === 'logNumber' ? Math.sign(value) * Math.log1p(Math.abs(value)) : value;
};

/** A feature's value in a row: own properties only (a feature called "constructor" must not find Object's), else null. */
export const readFeature = (row: Readonly<Record<string, FeatureValue>>, name: string): FeatureValue =>
  Object.hasOwn(row, name) ? (row[name] ?? null) : null;

/** Code-unit order: the same on every machine, where localeCompare follows the process's locale. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Booleans and numbers as their text, so true and 'true' share a level; null stays a level of its own. */
export const toCategory = (value: FeatureValue | undefined): string | null => (value === null || value === undefined ? null : String(value));

/** Features named by the examples themselves: numbers where every present value is a number, categories otherwise. */
export const inferFeatureSpecs = (rows: readonly Record<string, FeatureValue>[]): WinFeatureSpec[] => {
  const kinds = new Map<string, FeatureKind>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      if (value === null || value === undefined) {
        if (!kinds.has(name)) kinds.set(name, 'number');
      } else if (typeof value !== 'number') kinds.set(name, 'category');
      else if (!kinds.has(name)) kinds.set(name, 'number');
    }
  }
  return [...kinds].map(([name, kind]) => ({ name, kind }));
};

interface FitEncodingOptions {
  specs: readonly WinFeatureSpec[];
  rows: readonly Record<string, FeatureValue>[];
  minCategoryCount: number;
}

/**
 * Learns the encoding from training rows: numbers standardised with the training mean and standard deviation
 * (a missing value takes the mean, plus a 0/1 missing column when any training value was missing); categories
 * one-hot over the values seen at least minCategoryCount times, the rest pooled in an "other" column.
 * Weights are 0 until the fit fills them in.
 */
export const fitEncoding = ({ specs, rows, minCategoryCount }: FitEncodingOptions): WinModelFeature[] =>
  specs.map((spec): WinModelFeature => {
    if (spec.kind === 'category') {
      const counts = new Map<string | null, number>();
      for (const row of rows) {
        const key = toCategory(readFeature(row, spec.name));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const frequent = [...counts].filter(([, count]) => count >= minCategoryCount);
      frequent.sort(([a, countA], [b, countB]) => countB - countA || compareText(String(a), String(b)));
      const rare = rows.length - frequent.reduce((sum, [, count]) => sum + count, 0);
      return {
        name: spec.name,
        kind: 'category',
        levels: frequent.map(([value, count]) => ({ value, weight: 0, share: count / rows.length })),
        other: rare > 0 ? { weight: 0, share: rare / rows.length } : null,
      };
    }
    const values = rows.map((row) => toNumber(readFeature(row, spec.name), spec.kind as 'number' | 'logNumber'));
    const present = values.filter((value): value is number => value !== null);
    const center = present.length > 0 ? present.reduce((sum, value) => sum + value, 0) / present.length : 0;
    const variance = present.length > 1 ? present.reduce((sum, value) => sum + (value - center) ** 2, 0) / (present.length - 1) : 0;
    const missing = rows.length - present.length;
    return {
      name: spec.name,
      kind: spec.kind,
      center,
      // A constant column stays all zeros instead of dividing by zero.
      // A column that barely varies (below float noise) is constant: standardising it would blow noise up into signal.
      scale: variance > 1e-9 ? Math.sqrt(variance) : 1,
      weight: 0,
      missing: missing > 0 ? { weight: 0, share: missing / rows.length } : null,
    };
  });

/** Lays the features out as columns of the design matrix, in order. */
export const layOutColumns = (features: readonly WinModelFeature[]): FeatureColumns[] => {
  let offset = 0;
  return features.map((feature) => {
    const start = offset;
    if (feature.kind === 'category') {
      const index = new Map(feature.levels.map((level, i) => [level.value, start + i]));
      const otherIndex = feature.other ? start + feature.levels.length : -1;
      offset += feature.levels.length + (feature.other ? 1 : 0);
      return {
        feature,
        start,
        width: offset - start,
        encode: (value, emit) => {
          const column = index.get(toCategory(value)) ?? otherIndex;
          if (column >= 0) emit(column, 1);
        },
      };
    }
    offset += feature.missing ? 2 : 1;
    return {
      feature,
      start,
      width: offset - start,
      encode: (value, emit) => {
        const number = toNumber(value, feature.kind);
        if (number !== null) emit(start, (number - feature.center) / feature.scale);
        else if (feature.missing) emit(start + 1, 1);
      },
    };
  });
};

/** Each column's weight and training mean, in layout order; a standardised value has mean 0 (missing ones sit at the mean). */
export const listColumns = (features: readonly WinModelFeature[]): WinModelColumn[] =>
  features.flatMap((feature): WinModelColumn[] => {
    if (feature.kind === 'category') return feature.other ? [...feature.levels, feature.other] : [...feature.levels];
    const value = { weight: feature.weight, share: 0 };
    return feature.missing ? [value, feature.missing] : [value];
  });

/** The features with the fitted weights (in layout order) written in; the input is left as it was. */
export const withWeights = (features: readonly WinModelFeature[], weights: ArrayLike<number>): WinModelFeature[] => {
  let next = 0;
  const take = () => weights[next++]!;
  return features.map((feature): WinModelFeature => {
    if (feature.kind === 'category') {
      const levels = feature.levels.map((level) => ({ ...level, weight: take() }));
      return { ...feature, levels, other: feature.other ? { ...feature.other, weight: take() } : null };
    }
    const weight = take();
    return { ...feature, weight, missing: feature.missing ? { ...feature.missing, weight: take() } : null };
  });
};
