import { describe, expect, it } from 'vitest';
import { normalizeCountry } from './country.ts';

describe('normalizeCountry', () => {
  it.each([
    ['FR', 'FR'],
    ['fr', 'FR'],
    [' de ', 'DE'],
    ['DEU', 'DE'],
    ['usa', 'US'],
    ['France', 'FR'],
    ['united states', 'US'],
    ['United States of America', 'US'],
    ['UK', 'GB'],
    ['Great Britain', 'GB'],
    ['Allemagne', 'DE'],
    ['États-Unis', 'US'],
    ['Etats Unis', 'US'],
    ['Deutschland', 'DE'],
    ['Vereinigtes Königreich', 'GB'],
    ["Côte d'Ivoire", 'CI'],
    ['cote d ivoire', 'CI'],
    ['The Netherlands', 'NL'],
  ])('should read %j as %s', (input, expected) => {
    expect(normalizeCountry(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', 'ZZ', 'XYZ', 'Atlantis'])('should reject %j', (input) => {
    const result = normalizeCountry(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('invalidCountry');
  });

  it('should explain what is accepted when the country is unknown', () => {
    expect(normalizeCountry('Atlantis')).toMatchObject({ message: expect.stringContaining('ISO code such as FR') });
  });
});

describe('normalizeCountry with a shared name', () => {
  it('should refuse a name two countries share', () => {
    expect(normalizeCountry('Congo')).toMatchObject({ ok: false, code: 'invalidCountry', message: expect.stringContaining('more than one country') });
  });
});
