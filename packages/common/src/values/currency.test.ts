import { describe, expect, it } from 'vitest';
import { isCurrencyCode, normalizeCurrencyCode } from './currency.ts';

describe('isCurrencyCode', () => {
  it('should accept ISO 4217 codes in uppercase only', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('JPY')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('EURO')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
  });
});

describe('normalizeCurrencyCode', () => {
  it('should trim and uppercase a known code', () => {
    expect(normalizeCurrencyCode(' usd ')).toEqual({ ok: true, value: 'USD' });
  });

  it.each([
    ['', 'Enter a currency code'],
    ['€', 'three letters'],
    ['EURO', 'three letters'],
    ['XYZ', 'not an ISO 4217'],
  ])('should reject %j', (input, fragment) => {
    const result = normalizeCurrencyCode(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalidCurrency');
      expect(result.message).toContain(fragment);
    }
  });
});
