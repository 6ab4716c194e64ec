import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCode } from './recovery-codes.ts';

describe('recovery codes', () => {
  it('should be four groups of four easy-to-read characters, all different', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);

    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('should hash the same code the same way however it is typed', () => {
    const code = newRecoveryCode();

    expect(hashRecoveryCode(code.toUpperCase().replaceAll('-', ' '))).toBe(hashRecoveryCode(code));
    expect(looksLikeRecoveryCode(code.replaceAll('-', ''))).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});
