import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { checkTotp, newTotpSecret, totpUrl } from './totp.ts';

// RFC 6238, Appendix B: SHA-1 rows, the 20-byte ASCII seed, 30-second steps from T0 = 0, 8 digits.
const RFC_SEED = new TextEncoder().encode('12345678901234567890');
const RFC_SHA1_VECTORS: [unixSeconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_SHA1_VECTORS)('should accept the RFC 6238 code at T=%i (%s) and give its time step', (unixSeconds, code) => {
    expect(checkTotp({ secret: RFC_SEED, code, digits: 8, nowMs: unixSeconds * 1000 })).toBe(Math.floor(unixSeconds / 30));
  });

  it.each(RFC_SHA1_VECTORS)('should refuse the RFC 6238 code of T=%i two steps later', (unixSeconds, code) => {
    expect(checkTotp({ secret: RFC_SEED, code, digits: 8, nowMs: (unixSeconds + 61) * 1000 })).toBeNull();
  });

  it('should round-trip a 6-digit code of a new base32 secret, with one step of clock drift either way', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const codeAt = (ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });

    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(checkTotp({ secret, code: codeAt(now), nowMs: now })).toBe(Math.floor(now / 30_000));
    expect(checkTotp({ secret, code: codeAt(now - 30_000), nowMs: now })).toBe(Math.floor(now / 30_000) - 1);
    expect(checkTotp({ secret, code: codeAt(now + 30_000), nowMs: now })).toBe(Math.floor(now / 30_000) + 1);
    expect(checkTotp({ secret, code: codeAt(now - 90_000), nowMs: now })).toBeNull();
  });

  it('should refuse a code whose step is not after the last accepted one (replay)', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const code = generateSync({ secret, epoch: now / 1000 });
    const step = checkTotp({ secret, code, nowMs: now })!;

    expect(checkTotp({ secret, code, afterStep: step, nowMs: now })).toBeNull();
    expect(checkTotp({ secret, code, afterStep: step - 1, nowMs: now })).toBe(step);
  });

  it('should refuse codes that are not 6 digits', () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', '12 456']) expect(checkTotp({ secret, code })).toBeNull();
  });

  it('should describe the secret as an otpauth URL with SHA-1, 6 digits and 30 s', () => {
    const url = new URL(totpUrl({ secret: 'JBSWY3DPEHPK3PXP', account: 'ada@example.com', issuer: 'Rapport' }));

    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Rapport:ada@example.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ secret: 'JBSWY3DPEHPK3PXP', issuer: 'Rapport', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});
