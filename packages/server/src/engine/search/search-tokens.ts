import type { FieldType } from '@rapport/common';

// Global search looks up tokens in a GIN index of each record's search text (search-index.ts). Both
// sides are tokenised here, so the stored text and the query always agree. The tokens:
// - words: runs of letters and digits ("jean-pierre" → "jean", "pierre"), accents folded; characters
//   of scripts written without spaces (Chinese, Japanese, Korean) are tokens of their own, so
//   "小谷大輔" finds "大輔 小谷" in either order (a record also keeps each run, which ranks it);
// - `@address`: emails and domains, whole ("@ada@acme.com", "@acme.com");
// - `+digits`: phone numbers (E.164 without the plus).
// After two spaces come helper tokens, for the index only: `~` and the first two and three letters of
// each word. GIN matches a prefix at about a microsecond per matching row and looks up a whole token
// four times faster, so "mu" is the token "~mu".
// Typos are corrected against a dictionary of title words kept beside the records (search-typos.ts): a
// query word and a known word one typo apart share a one-letter deletion (symmetric deletion).
// Emails and phones are nearly unique per record: their marks keep them out of the words, so a word
// prefix does not walk a million email addresses. One letter only matches a whole word: as a prefix it
// would match a sixth of all records.

const ASCII = /^[\x20-\x7e]*$/;

/** Lower case, accents folded, spaces collapsed: what both the stored text and the query are reduced to. */
export const normalizeSearchText = (text: string): string =>
  // Most values are plain ASCII, which has nothing to fold: the write path and the seeder skip the Unicode work.
  ASCII.test(text)
    ? text.toLowerCase().replace(/ {2,}/g, ' ').trim()
    : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_OR_SPACELESS_RUN = /(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

export const EMAIL_MARK = '@';
export const PHONE_MARK = '+';
export const SHORT_PREFIX_MARK = '~';
/** Separates the tokens of a search text from its helper tokens. */
export const HELPER_SEPARATOR = '  ';

const SHORT_PREFIX_MAX = 3;
const MIN_TYPO_LENGTH = 4;
const MAX_TYPO_LENGTH = 16;
/** Title words per record that typo correction knows. */
const MAX_TYPO_WORDS = 3;

/**
 * Word tokens of normalised text: words, and for spaceless scripts each character (a query looks for
 * the characters; a record also keeps the whole run).
 */
export const wordTokens = (text: string, options: { withRuns: boolean }): string[] => {
  if (ASCII.test(text)) return text.split(/[^a-z0-9]+/).filter((word) => word !== '');
  const tokens: string[] = [];
  for (const [run] of text.matchAll(WORD_OR_SPACELESS_RUN)) {
    if (!SPACELESS.test(run)) tokens.push(run);
    else if (run.length === 1) tokens.push(run);
    else tokens.push(...(options.withRuns ? [run] : []), ...run);
  }
  return tokens;
};

const RECORD = { withRuns: true };
const QUERY = { withRuns: false };

const digitsOf = (text: string) => text.replace(/\D/g, '');
const SURROGATE = /[\ud800-\udfff]/;
const isAsciiWordStart = (code: number) => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
// Marked tokens start with a symbol; spaceless characters are tokens of their own.
const isWord = (token: string) => isAsciiWordStart(token.charCodeAt(0)) || (/^[\p{L}\p{N}]/u.test(token) && !SPACELESS.test(token));
const isTypoWord = (word: string) => word.length >= MIN_TYPO_LENGTH && word.length <= MAX_TYPO_LENGTH && isWord(word);

/** The tokens one value of a searchable field adds to the record's search text. */
export const recordTokens = (type: FieldType, value: string): string[] => valueTokens(type, value);

const valueTokens = (type: FieldType, value: string): string[] => {
  if (type === 'phone') {
    const digits = digitsOf(value);
    return digits ? [`${PHONE_MARK}${digits}`] : [];
  }
  const text = normalizeSearchText(value);
  if (text === '') return [];
  if (type === 'email' && !text.includes(' ')) {
    const domain = text.slice(text.lastIndexOf('@') + 1);
    return [`${EMAIL_MARK}${text}`, ...(domain && domain !== text ? [`${EMAIL_MARK}${domain}`] : [])];
  }
  // A company's domain: whole, and its name part as a word ("acme.com" → "acme").
  if (type === 'url' && !text.includes(' ') && !text.includes('/')) return [`${EMAIL_MARK}${text}`, ...wordTokens(text.split('.')[0] ?? '', RECORD)];
  return wordTokens(text, RECORD);
};

/** Every word one letter shorter (the deletions of symmetric-deletion typo correction). */
export const deletionsOf = (word: string): string[] => {
  const deletions = new Set<string>();
  // Letters outside the Basic Multilingual Plane take two UTF-16 units: only then split by code point.
  if (!SURROGATE.test(word)) {
    for (let index = 0; index < word.length; index++) deletions.add(word.slice(0, index) + word.slice(index + 1));
  } else {
    const chars = [...word];
    for (let index = 0; index < chars.length; index++) deletions.add([...chars.slice(0, index), ...chars.slice(index + 1)].join(''));
  }
  return [...deletions];
};

/** The helper tokens of a record's tokens: `~` and the first two and three letters of every word. */
export const helperTokens = (tokens: Iterable<string>): string[] => {
  const helpers = new Set<string>();
  for (const token of tokens) {
    if (token.length < 2 || !isWord(token)) continue;
    if (SURROGATE.test(token)) {
      const chars = [...token];
      for (let size = 2; size <= Math.min(SHORT_PREFIX_MAX, chars.length); size++) helpers.add(SHORT_PREFIX_MARK + chars.slice(0, size).join(''));
    } else {
      helpers.add(SHORT_PREFIX_MARK + token.slice(0, 2));
      if (token.length >= SHORT_PREFIX_MAX) helpers.add(SHORT_PREFIX_MARK + token.slice(0, SHORT_PREFIX_MAX));
    }
  }
  return [...helpers];
};

/** The title words typo correction learns from a record: its first few words long enough for a typo. */
export const typoWordsOf = (labelTokens: Iterable<string>): string[] => {
  const words: string[] = [];
  for (const token of labelTokens) {
    if (isTypoWord(token) && !words.includes(token)) words.push(token);
    if (words.length === MAX_TYPO_WORDS) break;
  }
  return words;
};

/** The keys of a word in the typo dictionary: the word itself and its one-letter deletions. */
export const typoKeysOf = (word: string): string[] => [word, ...deletionsOf(word).filter((deletion) => deletion.length >= MIN_TYPO_LENGTH - 1)];

/** One lexeme of a query: a whole token, or any token it begins. */
export interface QueryTerm {
  token: string;
  isPrefix: boolean;
}

/** Terms that must all match. */
export type QueryAlternative = QueryTerm[];

/** One part of a query: a record matches it through any of its alternatives. */
export interface QueryUnit {
  /** As typed, whole tokens. */
  exact: QueryAlternative[];
  /** As the start of tokens. */
  prefix: QueryAlternative[];
  /** A plain word, long enough to look for with one typo. */
  typoWord?: string;
}

export interface SearchQuery {
  /** The normalised query, for ranking by trigram word similarity. */
  text: string;
  units: QueryUnit[];
}

const PHONE_LIKE = /^\+?[\d\s().\/-]+$/;
const ADDRESS_LIKE = /^[\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)+\.?$/u;
const MAX_UNITS = 12;

const whole = (token: string): QueryTerm => ({ token, isPrefix: false });
const start = (token: string): QueryTerm => ({ token, isPrefix: true });

// Two and three letters are looked up as their own tokens; one letter only as a whole word.
const wordStart = (word: string): QueryTerm => {
  const length = [...word].length;
  if (length === 1 || SPACELESS.test(word)) return whole(word);
  return length <= SHORT_PREFIX_MAX ? whole(`${SHORT_PREFIX_MARK}${word}`) : start(word);
};

const wordUnit = (word: string): QueryUnit => ({
  exact: [[whole(word)]],
  prefix: [[wordStart(word)]],
  ...(isTypoWord(word) ? { typoWord: word } : {}),
});

/** Reads what a person typed into units that every hit must match, each through one alternative. */
export const parseSearchQuery = (q: string): SearchQuery => {
  const text = normalizeSearchText(q);
  const units: QueryUnit[] = [];
  const digits = digitsOf(text);
  if (PHONE_LIKE.test(text) && digits.length >= 3) {
    // A phone number, typed with or without spaces; or a number in a name ("2024").
    const words = wordTokens(text, QUERY);
    units.push({ exact: [[whole(`${PHONE_MARK}${digits}`)], words.map(whole)], prefix: [[start(`${PHONE_MARK}${digits}`)], words.map(wordStart)] });
    return { text, units };
  }
  for (const part of text.split(' ')) {
    if (part.includes('@')) {
      const address = part.replace(/^@+/, '');
      if (address) units.push({ exact: [[whole(`${EMAIL_MARK}${address}`)]], prefix: [[start(`${EMAIL_MARK}${address}`)]] });
    } else if (ADDRESS_LIKE.test(part)) {
      // "acme.com" or the start of an email ("ada.love"): the address, or its words.
      const address = `${EMAIL_MARK}${part.replace(/\.$/, '')}`;
      const words = wordTokens(part, QUERY);
      units.push({ exact: [[whole(address)], words.map(whole)], prefix: [[start(address)], words.map(wordStart)] });
    } else {
      units.push(...wordTokens(part, QUERY).map(wordUnit));
    }
  }
  return { text, units: units.slice(0, MAX_UNITS) };
};

export type QueryMode = 'exact' | 'prefix' | 'typo';

// tsquery syntax: a quoted lexeme with quotes doubled and backslashes escaped, ":*" for a prefix.
const lexeme = ({ token, isPrefix }: QueryTerm) => `${tsqueryLexeme(token)}${isPrefix ? ':*' : ''}`;

/** One stored token as a tsquery matching it exactly. */
export const tsqueryLexeme = (token: string): string => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** Known words one typo away from a query word (search-typos.ts), by query word. */
export type TypoCorrections = ReadonlyMap<string, readonly string[]>;

const NO_CORRECTIONS: TypoCorrections = new Map();

const alternativesOf = (unit: QueryUnit, mode: QueryMode, corrections: TypoCorrections): QueryAlternative[] => {
  const alternatives = (mode === 'exact' ? unit.exact : unit.prefix).filter((alternative) => alternative.length > 0);
  if (mode === 'typo' && unit.typoWord) alternatives.push(...(corrections.get(unit.typoWord) ?? []).map((word) => [whole(word)]));
  return alternatives;
};

/** The query words typo correction looks up. */
export const typoWordsOfQuery = (query: SearchQuery): string[] => [...new Set(query.units.flatMap((unit) => (unit.typoWord ? [unit.typoWord] : [])))];

/**
 * The tsquery text of a query: `exact` matches whole tokens, `prefix` token prefixes, `typo` also
 * accepts, for each long word, the known words one typo away. Undefined when the query has nothing to
 * look for, or when `typo` would find nothing `prefix` does not.
 */
export const toTsquery = (query: SearchQuery, mode: QueryMode, corrections: TypoCorrections = NO_CORRECTIONS): string | undefined => {
  const units = query.units.map((unit) => alternativesOf(unit, mode, corrections)).filter((alternatives) => alternatives.length > 0);
  if (units.length === 0) return undefined;
  if (mode === 'typo' && !query.units.some((unit) => unit.typoWord && corrections.get(unit.typoWord)?.length)) return undefined;
  return units
    .map((alternatives) => {
      const parts = alternatives.map((terms) => (terms.length === 1 ? lexeme(terms[0]!) : `(${terms.map(lexeme).join(' & ')})`));
      return parts.length === 1 ? parts[0]! : `(${parts.join(' | ')})`;
    })
    .join(' & ');
};

/** Whether a search text matches the query in a mode: the check the index makes, in JavaScript. */
export const matchesSearchText = (query: SearchQuery, searchText: string, mode: QueryMode, corrections: TypoCorrections = NO_CORRECTIONS): boolean => {
  const tokens = searchText.split(' ').filter(Boolean);
  const has = ({ token, isPrefix }: QueryTerm) => (isPrefix ? tokens.some((candidate) => candidate.startsWith(token)) : tokens.includes(token));
  const units = query.units.map((unit) => alternativesOf(unit, mode, corrections)).filter((alternatives) => alternatives.length > 0);
  return units.length > 0 && units.every((alternatives) => alternatives.some((terms) => terms.every(has)));
};
