/** A seeded generator (sfc32: 128 bits of state, fast, good enough for test data); the same seed gives the same data. */
export interface DemoRandom {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /**
   * A version 7 (time-ordered) UUID drawn from the generator, so ids repeat with the seed too. Each id
   * is a millisecond after the previous one: a bulk load appends to the primary key instead of
   * writing all over it.
   */
  uuid(): string;
}

export interface Weighted<T> {
  value: T;
  weight: number;
}

// splitmix32 spreads a small seed over the four state words.
const splitmix32 = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
};

// Demo ids count milliseconds from here (2024-01-01T00:00:00Z).
const UUID_EPOCH_MS = 1_704_067_200_000;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const hex32 = (word: number) => HEX[word >>> 24]! + HEX[(word >>> 16) & 0xff]! + HEX[(word >>> 8) & 0xff]! + HEX[word & 0xff]!;

export const createDemoRandom = (...seeds: number[]): DemoRandom => {
  const mix = splitmix32(seeds.reduce((acc, seed) => Math.imul(acc ^ (seed >>> 0), 0x01000193) ^ Math.floor(seed / 2 ** 32), 0x811c9dc5));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const nextWord = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) nextWord();
  let idCount = 0;
  const next = () => nextWord() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    uuid() {
      const ms = UUID_EPOCH_MS + idCount++;
      const high = hex32(Math.floor(ms / 0x10000));
      const low = hex32(ms % 0x10000).slice(4);
      const h2 = hex32((nextWord() & 0x0fff0000) | 0x70000000 | (nextWord() & 0x3fff) | 0x8000);
      const h3 = hex32(nextWord());
      return `${high}-${low}-${h2.slice(0, 4)}-${h2.slice(4)}-${h3}${hex32(nextWord()).slice(4)}`;
    },
  };
};

/** Picks by weight; the cumulative table is built once per list. */
export const createWeightedPicker = <T>(items: readonly Weighted<T>[]): ((random: DemoRandom) => T) => {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  const bounds: number[] = [];
  let running = 0;
  for (const item of items) bounds.push((running += item.weight / total));
  return (random) => {
    const r = random.next();
    for (let i = 0; i < bounds.length; i++) if (r < bounds[i]!) return items[i]!.value;
    return items[items.length - 1]!.value;
  };
};
