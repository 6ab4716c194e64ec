import { getFieldTypeHandler } from '../fields/registry.ts';
import type { ObjectMeta } from '../metadata/types.ts';

/** Lower case, accents folded: what both the stored search text and the query are reduced to. */
export const normalizeSearchText = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const MAX_SEARCH_TEXT = 2000;

/** The text global search matches for a record: its label and searchable fields. */
export const buildSearchText = (object: ObjectMeta, record: Record<string, unknown>): string => {
  const terms: string[] = [];
  for (const field of object.fields) {
    const handler = getFieldTypeHandler(field.type);
    const isSearchable = field.isSearchable ?? handler.isSearchableByDefault ?? false;
    if (!isSearchable && field.name !== object.labelField) continue;
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    terms.push(...(handler.searchTerms?.(value, field) ?? (typeof value === 'string' ? [value] : [])));
  }
  return normalizeSearchText([...new Set(terms)].join(' ')).slice(0, MAX_SEARCH_TEXT);
};
