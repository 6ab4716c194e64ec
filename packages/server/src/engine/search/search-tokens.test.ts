import { describe, expect, it } from 'vitest';
import { matchesTokens, parseSearchQuery, recordTokens, toTsquery, typoVariants } from './search-tokens.ts';

describe('recordTokens', () => {
  it('should split text into folded words when the field holds names', () => {
    expect(recordTokens('text', 'Jean-Pierre  Müller')).toEqual(['jean', 'pierre', 'muller', '~je', '~jea', '~pi', '~pie', '~mu', '~mul']);
    expect(recordTokens('text', "O'Brien & Co")).toEqual(['o', 'brien', 'co', '~br', '~bri', '~co']);
    expect(recordTokens('text', 'Нестеров')).toEqual(['нестеров', '~не', '~нес']);
  });

  it('should keep runs and characters of spaceless scripts when the text is Chinese or Japanese', () => {
    expect(recordTokens('text', '大輔 小谷')).toEqual(['大輔', '大', '輔', '小谷', '小', '谷']);
    expect(recordTokens('text', 'Acme東京')).toEqual(['acme', '東京', '東', '京', '~ac', '~acm']);
  });

  it('should mark emails, domains and phones so they stay out of the words', () => {
    expect(recordTokens('email', 'Ada.Lovelace@Example.com')).toEqual(['@ada.lovelace@example.com', '@example.com']);
    expect(recordTokens('phone', '+33142685300')).toEqual(['+33142685300']);
    expect(recordTokens('url', 'acme.co.uk')).toEqual(['@acme.co.uk', 'acme', '~ac', '~acm']);
  });
});

describe('parseSearchQuery and toTsquery', () => {
  it('should look for every word as a prefix when the query has several words', () => {
    const query = parseSearchQuery('  Adriana SMIT ');
    expect(query.text).toBe('adriana smit');
    expect(toTsquery(query, 'exact')).toBe(`'adriana' & 'smit'`);
    expect(toTsquery(query, 'prefix')).toBe(`'adriana':* & 'smit':*`);
  });

  it('should look up short prefix tokens for two or three letters and whole words for one', () => {
    expect(toTsquery(parseSearchQuery('Sm'), 'prefix')).toBe(`'~sm'`);
    expect(toTsquery(parseSearchQuery('ada l'), 'prefix')).toBe(`'~ada' & 'l'`);
    expect(toTsquery(parseSearchQuery('ada l'), 'exact')).toBe(`'ada' & 'l'`);
  });

  it('should read a phone number typed with spaces as one number when the query is digits', () => {
    const query = parseSearchQuery('+1 206 211-5889');
    expect(toTsquery(query, 'prefix')).toBe(`('+12062115889':* | ('1' & '~206' & '~211' & '5889':*))`);
  });

  it('should look for an email as a whole when the query has an @', () => {
    expect(toTsquery(parseSearchQuery('Rosa.Decorte772@mulder2.nl'), 'exact')).toBe(`'@rosa.decorte772@mulder2.nl'`);
    expect(toTsquery(parseSearchQuery('acme.com'), 'prefix')).toBe(`('@acme.com':* | ('acme':* & '~com'))`);
  });

  it('should look for each character when the query is Japanese', () => {
    expect(toTsquery(parseSearchQuery('小谷大輔'), 'prefix')).toBe(`'小' & '谷' & '大' & '輔'`);
  });

  it('should escape quotes and backslashes when a token holds them', () => {
    expect(toTsquery(parseSearchQuery(`o'brien@x.com`), 'exact')).toBe(`'@o''brien@x.com'`);
    expect(toTsquery(parseSearchQuery(`a\\b@x.com`), 'exact')).toBe(`'@a\\\\b@x.com'`);
  });

  it('should give nothing to look for when the query has no letters or digits', () => {
    expect(toTsquery(parseSearchQuery('— ! ?'), 'prefix')).toBeUndefined();
    expect(toTsquery(parseSearchQuery(''), 'exact')).toBeUndefined();
  });

  it('should add one-typo variants of long words only when asked for typos', () => {
    const typo = toTsquery(parseSearchQuery('simth jo'), 'typo')!;
    expect(typo).toContain(`'smith'`);
    expect(typo).toContain(`'simth':*`);
    expect(typo.endsWith(`& '~jo'`)).toBe(true);
    expect(toTsquery(parseSearchQuery('ab'), 'typo')).toBeUndefined();
  });
});

describe('typoVariants', () => {
  it('should hold every word one deletion, insertion, substitution or swap away', () => {
    const variants = typoVariants('jonh');
    for (const word of ['john', 'jon', 'jonah', 'jonn', 'jonhs']) expect(variants).toContain(word);
    expect(variants).not.toContain('jonh');
    expect(variants).not.toContain('jhno');
  });

  it('should use the alphabet of the word when it is Cyrillic', () => {
    expect(typoVariants('ивнов')).toContain('иванов');
    expect(typoVariants('ивнов').some((variant) => /[a-z]/.test(variant))).toBe(false);
  });
});

describe('matchesTokens', () => {
  const tokens = recordTokens('text', 'Bartholomew Quintero').concat(recordTokens('email', 'bq@quintero.example'));

  it('should match prefixes of every word when the mode is prefix', () => {
    expect(matchesTokens(parseSearchQuery('bart quin'), tokens, 'prefix')).toBe(true);
    expect(matchesTokens(parseSearchQuery('ba qu'), tokens, 'prefix')).toBe(true);
    expect(matchesTokens(parseSearchQuery('bart quin'), tokens, 'exact')).toBe(false);
    expect(matchesTokens(parseSearchQuery('bq@quintero'), tokens, 'prefix')).toBe(true);
  });

  it('should match a word with one typo only when the mode is typo', () => {
    expect(matchesTokens(parseSearchQuery('bartholomwe'), tokens, 'prefix')).toBe(false);
    expect(matchesTokens(parseSearchQuery('bartholomwe'), tokens, 'typo')).toBe(true);
  });
});
