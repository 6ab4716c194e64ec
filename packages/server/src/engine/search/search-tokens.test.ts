import { describe, expect, it } from 'vitest';
import { deletionsOf, helperTokens, matchesSearchText, parseSearchQuery, recordTokens, toTsquery, typoKeysOf, typoWordsOf } from './search-tokens.ts';

describe('recordTokens', () => {
  it('should split text into folded words when the field holds names', () => {
    expect(recordTokens('text', 'Jean-Pierre  Müller')).toEqual(['jean', 'pierre', 'muller']);
    expect(recordTokens('text', "O'Brien & Co")).toEqual(['o', 'brien', 'co']);
    expect(recordTokens('text', 'Нестеров')).toEqual(['нестеров']);
  });

  it('should keep runs and characters of spaceless scripts when the text is Chinese or Japanese', () => {
    expect(recordTokens('text', '大輔 小谷')).toEqual(['大輔', '大', '輔', '小谷', '小', '谷']);
    expect(recordTokens('text', 'Acme東京')).toEqual(['acme', '東京', '東', '京']);
  });

  it('should mark emails, domains and phones so they stay out of the words', () => {
    expect(recordTokens('email', 'Ada.Lovelace@Example.com')).toEqual(['@ada.lovelace@example.com', '@example.com']);
    expect(recordTokens('phone', '+33142685300')).toEqual(['+33142685300']);
    expect(recordTokens('url', 'acme.co.uk')).toEqual(['@acme.co.uk', 'acme']);
  });
});

describe('helperTokens', () => {
  it('should add the first two and three letters of every word, not of marked tokens', () => {
    expect(helperTokens(['jo', 'muller', '@jo@x.com', '+3312', '東'])).toEqual(['~jo', '~mu', '~mul']);
  });
});

describe('typo words and keys', () => {
  it('should keep the first three title words long enough for a typo', () => {
    expect(typoWordsOf(['jo', 'adriana', 'de', 'la', 'fuente', 'smith', 'jones', 'fuente'])).toEqual(['adriana', 'fuente', 'smith']);
  });

  it('should key a word under itself and each deletion, once when letters repeat', () => {
    expect(deletionsOf('anna')).toEqual(['nna', 'ana', 'ann']);
    expect(typoKeysOf('smith')).toEqual(['smith', 'mith', 'sith', 'smth', 'smih', 'smit']);
  });

  it.each([
    ['simth', 'smith', 'two letters swapped'],
    ['smth', 'smith', 'a letter missing'],
    ['smitth', 'smith', 'a letter too many'],
    ['smyth', 'smith', 'a letter changed'],
  ])('should share a key between %s and %s (%s)', (typed, known) => {
    expect(typoKeysOf(known).some((key) => typoKeysOf(typed).includes(key))).toBe(true);
  });

  it('should share no key between words two typos apart', () => {
    expect(typoKeysOf('smith').some((key) => typoKeysOf('snyth').includes(key))).toBe(false);
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

  it('should look for the corrections of long words only when asked for typos', () => {
    const corrections = new Map([['simth', ['smith', 'sith']]]);
    expect(toTsquery(parseSearchQuery('simth jo'), 'typo', corrections)).toBe(`('simth':* | 'smith' | 'sith') & '~jo'`);
    expect(toTsquery(parseSearchQuery('simth jo'), 'prefix', corrections)).toBe(`'simth':* & '~jo'`);
    expect(toTsquery(parseSearchQuery('simth jo'), 'typo')).toBeUndefined();
    expect(toTsquery(parseSearchQuery('ab'), 'typo', corrections)).toBeUndefined();
  });
});

describe('matchesSearchText', () => {
  const text = (label: string, email: string) => {
    const tokens = [...recordTokens('text', label), ...recordTokens('email', email)];
    return `${tokens.join(' ')}  ${helperTokens(tokens).join(' ')}`;
  };
  const bartholomew = text('Bartholomew Quintero', 'bq@quintero.example');

  it('should match prefixes of every word when the mode is prefix', () => {
    expect(matchesSearchText(parseSearchQuery('bart quin'), bartholomew, 'prefix')).toBe(true);
    expect(matchesSearchText(parseSearchQuery('ba qu'), bartholomew, 'prefix')).toBe(true);
    expect(matchesSearchText(parseSearchQuery('bart quin'), bartholomew, 'exact')).toBe(false);
    expect(matchesSearchText(parseSearchQuery('bq@quintero'), bartholomew, 'prefix')).toBe(true);
  });

  it('should match a typo through its corrections only when the mode is typo', () => {
    const corrections = new Map([['bartholomwe', ['bartholomew']]]);
    expect(matchesSearchText(parseSearchQuery('bartholomwe'), bartholomew, 'prefix', corrections)).toBe(false);
    expect(matchesSearchText(parseSearchQuery('bartholomwe'), bartholomew, 'typo', corrections)).toBe(true);
    expect(matchesSearchText(parseSearchQuery('bartholomwe'), bartholomew, 'typo')).toBe(false);
  });
});
