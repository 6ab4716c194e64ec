export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of already sorted values. */
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

export const summarize = (values: number[]): Summary => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
};

/** Runs `fn` `count` times one after the other (bounded by `maxMs`), returning each duration in ms. */
export const timeSequential = async (options: { count: number; maxMs: number; fn: (index: number) => Promise<unknown> }): Promise<number[]> => {
  const durations: number[] = [];
  const deadline = performance.now() + options.maxMs;
  for (let index = 0; index < options.count && performance.now() < deadline; index++) {
    const started = performance.now();
    await options.fn(index);
    durations.push(performance.now() - started);
  }
  return durations;
};

/** Completed calls per second with `concurrency` loops calling `fn` for `durationMs`. */
export const measureThroughput = async (options: { concurrency: number; durationMs: number; fn: (index: number) => Promise<unknown> }) => {
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  let done = 0;
  let failed = 0;
  let next = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      try {
        await options.fn(next++);
        done++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: done / seconds, done, failed, seconds };
};

export const formatMs = (ms: number): string => (Number.isNaN(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);
