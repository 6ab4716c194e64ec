import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { createDemoRandom } from './demo-random.ts';

describe('createDemoRandom', () => {
  it('should draw valid version 7 ids in increasing order when asked for several', () => {
    const random = createDemoRandom(1, 42);
    const ids = Array.from({ length: 1000 }, () => random.uuid());

    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should repeat its ids with the same seeds and change them with another', () => {
    const draw = (...seeds: number[]) => {
      const random = createDemoRandom(...seeds);
      return Array.from({ length: 3 }, () => random.uuid());
    };

    expect(draw(1, 42)).toEqual(draw(1, 42));
    expect(draw(1, 43)).not.toEqual(draw(1, 42));
  });
});
