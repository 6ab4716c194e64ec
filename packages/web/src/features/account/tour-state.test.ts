import { describe, expect, it } from 'vitest';
import { isTourDone, markTourDone, tourKey, tourStepsFor } from './tour-state.ts';

const memoryStore = () => {
  const values = new Map<string, string>();
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), values };
};

describe('guided tour state', () => {
  it('should be remembered per user once done', () => {
    const store = memoryStore();
    expect(isTourDone('u1', store)).toBe(false);
    markTourDone('u1', store);
    expect(isTourDone('u1', store)).toBe(true);
    expect(isTourDone('u2', store)).toBe(false);
    expect(store.values.get(tourKey('u1'))).toBe('done');
  });

  it('should not fail when storage refuses to write', () => {
    const store = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => markTourDone('u1', store)).not.toThrow();
    expect(isTourDone('u1', store)).toBe(false);
  });

  it('should show the settings step to administrators only', () => {
    expect(tourStepsFor(true)).toEqual(['navigation', 'search', 'settings']);
    expect(tourStepsFor(false)).toEqual(['navigation', 'search']);
  });
});
