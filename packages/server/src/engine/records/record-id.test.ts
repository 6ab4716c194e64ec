import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { newRecordId } from './record-id.ts';

describe('newRecordId', () => {
  it('should give distinct version 7 ids that sort by creation time', async () => {
    const first = Array.from({ length: 600 }, newRecordId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = newRecordId();

    expect(first.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect(new Set(first).size).toBe(first.length);
    expect(first.every((id) => id < later)).toBe(true);
  });
});
