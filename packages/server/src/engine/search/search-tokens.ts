import type { FieldType } from '@rapport/common';

// Global search matches whole tokens and token prefixes through a GIN index on the record's search
// text (see search-index.ts). Both sides are tokenised here, so the stored text and the query always
// agree. Three kinds of token:
// - words: runs of letters and digits ("jean-pierre" → "jean", "pierre"), accents folded;
//   characters of scripts written without spaces (Chinese, Japanese, Korean) are tokens of their own,
//   and their runs too, so "小谷大輔" finds "大輔 小谷" in either order;
// - `@address`: emails and domains, whole ("@ada@acme.com", "@acme.com");
// - `+digits`: phone numbers (E.164 without the plus);
// - `~` and the first two and three letters of each word, for short queries (shortPrefixTokens).
// Emails and phones are nearly unique per record: their marks keep them out of the words, so a word
// prefix does not walk a million email addresses. A GIN prefix match costs about a microsecond per
// matching row, a whole-token lookup a quarter of that: "mu" is the token "~mu", not the prefix "mu".
// One letter only matches a whole word: as a prefix it would match a sixth of all records.

/** Lower case, accents folded, spaces collapsed: what both the stored text and the query are reduced to. */
export const normalizeSearchText = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_OR_SPACELESS_RUN = /(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

export const EMAIL_MARK = '@';
export const PHONE_MARK = '+';
export const SHORT_PREFIX_MARK = '~';
const SHORT_PREFIX_MAX = 3;

/**
 * Word tokens of normalised text: words, and for spaceless scripts each character (a query looks for
 * the characters; a record also keeps the whole run, which ranks the exact name first).
 */
export const wordTokens = (text: string, options: { withRuns: boolean }): string[] => {
  const tokens: string[] = [];
  for (const [run] of text.matchAll(WORD_OR_SPACELESS_RUN)) {
    if (!SPACELESS.test(run)) tokens.push(run);
    else if (run.length === 1) tokens.push(run);
    else tokens.push(...(options.withRuns ? [run] : []), ...run);
  }
  return tokens;
};

/** `~` and the first two and three letters of each word (not of spaceless scripts, whose characters are tokens). */
export const shortPrefixTokens = (words: readonly string[]): string[] => {
  const tokens: string[] = [];
  for (const word of words) {
    if (SPACELESS.test(word)) continue;
    const chars = [...word];
    for (let length = 2; length <= Math.min(SHORT_PREFIX_MAX, chars.length); length++) tokens.push(`${SHORT_PREFIX_MARK}${chars.slice(0, length).join('')}`);
  }
  return tokens;
};

const RECORD = { withRuns: true };
const QUERY = { withRuns: false };

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** The tokens one value of a searchable field adds to the record's search text. */
export const recordTokens = (type: FieldType, value: string): string[] => {
  const text = normalizeSearchText(value);
  if (text === '') return [];
  if (type === 'email' && !text.includes(' ')) {
    const domain = text.slice(text.lastIndexOf('@') + 1);
    return [`${EMAIL_MARK}${text}`, ...(domain && domain !== text ? [`${EMAIL_MARK}${domain}`] : [])];
  }
  if (type === 'phone') {
    const digits = digitsOf(text);
    return digits ? [`${PHONE_MARK}${digits}`] : [];
  }
  // A company's domain: whole, and its name part as a word ("acme.com" → "acme").
  const words = type === 'url' && !text.includes(' ') && !text.includes('/') ? wordTokens(text.split('.')[0] ?? '', RECORD) : wordTokens(text, RECORD);
  const marked = type === 'url' && !text.includes(' ') && !text.includes('/') ? [`${EMAIL_MARK}${text}`] : [];
  return [...marked, ...words, ...shortPrefixTokens(words)];
};

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
const MIN_TYPO_LENGTH = 4;
const MAX_TYPO_LENGTH = 24;
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
  ...(word.length >= MIN_TYPO_LENGTH && word.length <= MAX_TYPO_LENGTH && !SPACELESS.test(word) ? { typoWord: word } : {}),
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

const ALPHABETS = [
  { script: /^[a-z]+$/, letters: 'abcdefghijklmnopqrstuvwxyz' },
  // Accents are folded before this point: й and ё are и and е.
  { script: /^[а-яі]+$/, letters: 'абвгдежзиклмнопрстуфхцчшщъыьэюя' },
  { script: /^[α-ω]+$/, letters: 'αβγδεζηθικλμνξοπρστυφχψω' },
];

/** Every word one edit away (a letter dropped, added, changed, or two neighbours swapped). */
export const typoVariants = (word: string): string[] => {
  const letters = ALPHABETS.find((alphabet) => alphabet.script.test(word))?.letters ?? '';
  const chars = [...word];
  const variants = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    variants.add([...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
    if (i + 1 < chars.length) variants.add([...chars.slice(0, i), chars[i + 1], chars[i], ...chars.slice(i + 2)].join(''));
    for (const letter of letters) variants.add([...chars.slice(0, i), letter, ...chars.slice(i + 1)].join(''));
  }
  for (let i = 0; i <= chars.length; i++) {
    for (const letter of letters) variants.add([...chars.slice(0, i), letter, ...chars.slice(i)].join(''));
  }
  variants.delete(word);
  return [...variants];
};

export type QueryMode = 'exact' | 'prefix' | 'typo';

// tsquery syntax: a quoted lexeme with quotes doubled and backslashes escaped, ":*" for a prefix.
const lexeme = ({ token, isPrefix }: QueryTerm) => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${isPrefix ? ':*' : ''}`;

const alternativesOf = (unit: QueryUnit, mode: QueryMode): QueryAlternative[] => {
  const alternatives = (mode === 'exact' ? unit.exact : unit.prefix).filter((alternative) => alternative.length > 0);
  if (mode === 'typo' && unit.typoWord) alternatives.push(...typoVariants(unit.typoWord).map((variant) => [whole(variant)]));
  return alternatives;
};

/**
 * The tsquery text of a query: `exact` matches whole tokens, `prefix` token prefixes, `typo` also
 * accepts each long word with one typo. Undefined when the query has nothing to look for, or when
 * `typo` would find nothing `prefix` does not.
 */
export const toTsquery = (query: SearchQuery, mode: QueryMode): string | undefined => {
  const units = query.units.map((unit) => alternativesOf(unit, mode)).filter((alternatives) => alternatives.length > 0);
  if (units.length === 0) return undefined;
  if (mode === 'typo' && !query.units.some((unit) => unit.typoWord)) return undefined;
  return units
    .map((alternatives) => {
      const parts = alternatives.map((terms) => (terms.length === 1 ? lexeme(terms[0]!) : `(${terms.map(lexeme).join(' & ')})`));
      return parts.length === 1 ? parts[0]! : `(${parts.join(' | ')})`;
    })
    .join(' & ');
};

/** Whether a record's tokens match the query in a mode: the check the index makes, in JavaScript. */
export const matchesTokens = (query: SearchQuery, tokens: readonly string[], mode: QueryMode): boolean => {
  const has = ({ token, isPrefix }: QueryTerm) => (isPrefix ? tokens.some((candidate) => candidate.startsWith(token)) : tokens.includes(token));
  const units = query.units.map((unit) => alternativesOf(unit, mode)).filter((alternatives) => alternatives.length > 0);
  return units.length > 0 && units.every((alternatives) => alternatives.some((terms) => terms.every(has)));
};
