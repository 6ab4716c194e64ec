const BASE_MS = 1000;
const MAX_MS = 60 * 60 * 1000;

/**
 * Delay before retrying after the `attempts`-th run failed: 2^attempts seconds, at most an hour,
 * with the upper half jittered so jobs that failed together do not retry together.
 */
export const computeBackoffMs = (attempts: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(BASE_MS * 2 ** Math.max(attempts, 0), MAX_MS);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
};
