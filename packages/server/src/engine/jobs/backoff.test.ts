import { describe, expect, it } from 'vitest';
import { computeBackoffMs } from './backoff.ts';

describe('computeBackoffMs', () => {
  it('should double the delay with each attempt when jitter is at its maximum', () => {
    const delays = [1, 2, 3, 4].map((attempts) => computeBackoffMs(attempts, () => 1));

    expect(delays).toEqual([2000, 4000, 8000, 16000]);
  });

  it('should keep at least half the delay when jitter is at its minimum', () => {
    expect(computeBackoffMs(3, () => 0)).toBe(4000);
  });

  it('should cap the delay at one hour when attempts grow large', () => {
    expect(computeBackoffMs(30, () => 1)).toBe(3_600_000);
    expect(computeBackoffMs(1000, () => 1)).toBe(3_600_000);
  });
});
