import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, verifyPassword } from './passwords.ts';

const codesOf = (options: Parameters<typeof checkPassword>[0]) => checkPassword(options).map((error) => error.code);

describe('password rules', () => {
  it('should accept a long, uncommon passphrase', () => {
    expect(checkPassword({ password: 'purple-elephant-dances-42', email: 'ada@example.com', name: 'Ada Lovelace' })).toEqual([]);
  });

  it('should refuse fewer than 10 characters, counting characters rather than bytes', () => {
    expect(codesOf({ password: 'short-pw1' })).toEqual(['tooShort']);
    expect(codesOf({ password: 'éèêëàâäôöü' })).toEqual([]);
  });

  it('should refuse passwords of the bundled common list, whatever their case', () => {
    expect(codesOf({ password: '1234567890' })).toEqual(['commonPassword']);
    expect(codesOf({ password: 'QWERTYUIOP' })).toEqual(['commonPassword']);
  });

  it('should refuse a common word with digits and symbols around it', () => {
    expect(codesOf({ password: 'Password2024!' })).toEqual(['commonPassword']);
    expect(codesOf({ password: '!!sunshine123' })).toEqual(['commonPassword']);
  });

  it('should refuse a handful of repeated characters', () => {
    expect(codesOf({ password: 'abababababab' })).toEqual(['commonPassword']);
  });

  it('should refuse a password containing the email, its parts or the name', () => {
    expect(codesOf({ password: 'grace.hopper!2025', email: 'grace.hopper@navy.example' })).toEqual(['containsPersonalInfo']);
    expect(codesOf({ password: 'my-hopper-secret-x', email: 'grace.hopper@navy.example' })).toEqual(['containsPersonalInfo']);
    expect(codesOf({ password: 'LOVELACE-analytical', name: 'Ada Lovelace' })).toEqual(['containsPersonalInfo']);
  });

  it('should name the field it reports on', () => {
    expect(checkPassword({ password: 'short', field: 'newPassword' })).toEqual([{ field: 'newPassword', code: 'tooShort', message: expect.any(String) }]);
  });
});

describe('password hashing', () => {
  it('should hash with argon2id and verify only the same password', async () => {
    const hash = await hashPassword('purple-elephant-dances-42');

    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(await verifyPassword(hash, 'purple-elephant-dances-42')).toBe(true);
    expect(await verifyPassword(hash, 'purple-elephant-dances-43')).toBe(false);
  });

  it('should answer false, not throw, for a missing or malformed hash', async () => {
    expect(await verifyPassword(null, 'anything-at-all')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything-at-all')).toBe(false);
  });
});
