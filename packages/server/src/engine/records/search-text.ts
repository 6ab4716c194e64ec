import { isEncryptedField } from '../crypto/field-keys.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { oncePerSnapshot, type FieldMeta, type ObjectMeta } from '../metadata/types.ts';
import { HELPER_SEPARATOR, helperTokens, recordTokens, typoWordsOf } from '../search/search-tokens.ts';

export { normalizeSearchText } from '../search/search-tokens.ts';

const MAX_SEARCH_TEXT = 2000;

/** Whether a field's values go into the record's search text: the label and the searchable fields. */
export const isInSearchText = (object: ObjectMeta, field: FieldMeta): boolean =>
  // An encrypted field's tokens would be its value in plain text: never, even as the label.
  !isEncryptedField(field) && (field.name === object.labelField || (field.isSearchable ?? getFieldTypeHandler(field.type).isSearchableByDefault ?? false));

// The label's field first: its tokens lead the text, which ranks a match on the label higher.
const getSearchedFields = oncePerSnapshot((object: ObjectMeta): FieldMeta[] =>
  object.fields.filter((field) => isInSearchText(object, field)).sort((a, b) => Number(b.name === object.labelField) - Number(a.name === object.labelField)),
);

export interface SearchEntry {
  /** The search_text column. */
  text: string;
  /** Title words for the typo dictionary (engine/search/search-typos.ts). */
  typoWords: string[];
}

/**
 * What global search keeps of a record: the distinct search tokens of its label and searchable fields
 * separated by single spaces, then two spaces and the short-prefix helper tokens the index also holds
 * (see engine/search/search-tokens.ts); and its title words for typo correction.
 */
export const buildSearchEntry = (object: ObjectMeta, record: Record<string, unknown>): SearchEntry => {
  const tokens = new Set<string>();
  const labelTokens: string[] = [];
  for (const field of getSearchedFields(object)) {
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    // A plain email or phone is its own only search term: no need to ask its handler.
    const terms =
      typeof value === 'string' && (field.type === 'email' || field.type === 'phone')
        ? [value]
        : (getFieldTypeHandler(field.type).searchTerms?.(value, field) ?? (typeof value === 'string' ? [value] : []));
    for (const term of terms) {
      const fieldTokens = recordTokens(field.type, term);
      if (field.name === object.labelField) labelTokens.push(...fieldTokens);
      for (const token of fieldTokens) tokens.add(token);
    }
  }
  const text = joinWithin([...tokens], MAX_SEARCH_TEXT);
  const helpers = joinWithin(helperTokens(tokens), MAX_SEARCH_TEXT);
  return { text: helpers === '' ? text : text + HELPER_SEPARATOR + helpers, typoWords: typoWordsOf(labelTokens) };
};

/** The search_text of a record (see buildSearchEntry). */
export const buildSearchText = (object: ObjectMeta, record: Record<string, unknown>): string => buildSearchEntry(object, record).text;

// Whole tokens only: a token cut in half would be a prefix the record does not have.
const joinWithin = (tokens: string[], max: number): string => {
  const text = tokens.join(' ');
  if (text.length <= max) return text;
  const end = text.lastIndexOf(' ', max);
  return end <= 0 ? '' : text.slice(0, end);
};
