import { describe, expect, it } from 'vitest';
import { formatPhone, normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['+33 1 42 68 53 00', undefined, '+33142685300'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['(415) 555-2671', 'us', '+14155552671'],
    ['1-415-555-2671', 'US', '+14155552671'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['+44 20 7946 0958', 'FR', '+442079460958'],
    ['tel:+14155552671', undefined, '+14155552671'],
    ['011 33 1 42 68 53 00', 'US', '+33142685300'],
  ])('should return E.164 when given %s (default country %s)', (input, country, expected) => {
    expect(normalizePhone(input, country)).toEqual({ ok: true, value: expected });
  });

  it('should keep the extension apart when the number has one', () => {
    expect(normalizePhone('001-215-760-4642x969', 'US')).toEqual({ ok: true, value: '+12157604642', extension: '969' });
    expect(normalizePhone('001-215-760-4642x969')).toEqual({ ok: true, value: '+12157604642', extension: '969' });
    expect(normalizePhone('+1 415 555 2671 ext. 12')).toEqual({ ok: true, value: '+14155552671', extension: '12' });
  });

  it('should ignore an unknown default country instead of failing', () => {
    expect(normalizePhone('+33 1 42 68 53 00', 'ZZ')).toEqual({ ok: true, value: '+33142685300' });
  });

  it.each([
    ['', 'Enter a phone number.'],
    ['call me', 'must contain digits'],
    ['(415) 555-2671', 'Add the country code'],
    ['+1 415 555 267', 'not a valid phone number'],
    ['+1 200 555 0100', 'not a valid phone number'],
    ['+33 1 42 68 53 00 (office)', 'not a valid phone number'],
    ['1'.repeat(65), 'at most 64'],
  ])('should reject %j', (input, fragment) => {
    const result = normalizePhone(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalidPhone');
      expect(result.message).toContain(fragment);
    }
  });
});

describe('formatPhone', () => {
  it('should format international and national styles', () => {
    expect(formatPhone('+33142685300')).toBe('+33 1 42 68 53 00');
    expect(formatPhone('+33142685300', 'national')).toBe('01 42 68 53 00');
    expect(formatPhone('+14155552671', 'national')).toBe('(415) 555-2671');
  });

  it('should return the input when it is not a phone number', () => {
    expect(formatPhone('not a phone')).toBe('not a phone');
  });
});
