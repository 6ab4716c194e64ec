import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, isSealedValue, type WorkspaceDataKeys } from './field-cipher.ts';

const keysOf = (versions: Buffer[], current = versions.length): WorkspaceDataKeys => ({
  current: { version: current, key: versions[current - 1]! },
  byVersion: new Map(versions.map((key, index) => [index + 1, key])),
  blindKey: randomBytes(32),
});

describe('field cipher', () => {
  const keys = keysOf([randomBytes(32)]);
  const cipher = createFieldCipher({ keys, fieldId: 'field-a' });

  it('should round-trip strings, numbers and lists, sealing each time with a fresh IV', () => {
    for (const value of ['FR-123', 'émoji ✓', 42.5, 0, ['a@example.com', 'b@example.com']]) {
      const sealed = cipher.seal(value);
      expect(isSealedValue(sealed)).toBe(true);
      expect(sealed).toMatch(/^rf1:1:/);
      // Long enough not to turn up in base64 by chance.
      if (String(value).length >= 6) expect(sealed).not.toContain(String(value));
      expect(cipher.open(sealed)).toEqual(value);
    }
    expect(cipher.seal('same')).not.toBe(cipher.seal('same'));
  });

  it('should refuse a value that was changed, or sealed for another field or under another key', () => {
    const sealed = cipher.seal('secret');
    const body = sealed.split(':')[2]!;
    const flipped = `rf1:1:${body.slice(0, 10)}${body[10] === 'A' ? 'B' : 'A'}${body.slice(11)}`;
    expect(() => cipher.open(flipped)).toThrow(/cannot be opened/);
    expect(() => createFieldCipher({ keys, fieldId: 'field-b' }).open(sealed)).toThrow(/cannot be opened/);
    expect(() => createFieldCipher({ keys: keysOf([randomBytes(32)]), fieldId: 'field-a' }).open(sealed)).toThrow(/cannot be opened/);
    expect(() => cipher.open('rf1:9:AAAA')).toThrow(/key version 9/);
  });

  it('should open values of an older key version after a rotation', () => {
    const first = randomBytes(32);
    const before = createFieldCipher({ keys: keysOf([first]), fieldId: 'f' });
    const sealed = before.seal('old');
    const after = createFieldCipher({ keys: keysOf([first, randomBytes(32)]), fieldId: 'f' });
    expect(after.seal('new')).toMatch(/^rf1:2:/);
    expect(after.open(sealed)).toBe('old');
  });

  it('should give equal blind indexes to equal values of one field only', () => {
    expect(cipher.blindIndex('+33612345678')).toBe(cipher.blindIndex('+33612345678'));
    expect(cipher.blindIndex('+33612345678')).not.toBe(cipher.blindIndex('+33612345679'));
    expect(createFieldCipher({ keys, fieldId: 'field-b' }).blindIndex('+33612345678')).not.toBe(cipher.blindIndex('+33612345678'));
  });
});
