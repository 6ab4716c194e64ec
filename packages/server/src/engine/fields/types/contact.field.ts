import { domainOf, normalizeEmail, normalizePhone, normalizeUrl, type ValueResult } from '@rapport/common/values/index';
import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

type Normalize = (input: string, field: FieldMeta) => ValueResult<string>;

const MAX_ITEMS = 50;

// email, phone and url share one shape: a string, or a list of strings with `options.multiple`.
const createContactHandler = (
  type: 'email' | 'phone' | 'url',
  normalize: Normalize,
  terms: (value: string) => string[],
  format: string,
): FieldTypeHandler => ({
  type,
  isSearchableByDefault: type !== 'url',
  columns: (field) => [
    field.options?.multiple
      ? { column: field.column, sqlType: 'text[]', index: 'gin' }
      : { column: field.column, sqlType: 'text', index: 'btree' },
  ],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (field.options?.multiple) {
      const items = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(items)) return fail('invalidType', 'Expected a list of strings.');
      if (items.length > MAX_ITEMS) return fail('tooLong', `At most ${MAX_ITEMS} values.`);
      const normalized: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string') return fail('invalidType', 'Expected a list of strings.');
        if (item.trim() === '') continue;
        const result = normalize(item, field);
        if (!result.ok) return fail(result.code, `${JSON.stringify(item)}: ${result.message}`);
        if (!normalized.includes(result.value)) normalized.push(result.value);
      }
      return single(field, normalized.length === 0 ? null : normalized);
    }
    if (typeof value !== 'string') return fail('invalidType', 'Expected a string.');
    if (value.trim() === '') return single(field, null);
    const result = normalize(value, field);
    return result.ok ? single(field, result.value) : fail(result.code, result.message);
  },
  fromDb: (row, field) => row[field.column] ?? (field.options?.multiple ? [] : null),
  operand: (field, part) =>
    part ? undefined : { column: field.column, kind: field.options?.multiple ? 'textArray' : 'text' },
  jsonSchema: (field) =>
    field.options?.multiple
      ? nullable({ type: 'array', items: { type: 'string', format } })
      : nullable({ type: 'string', format }),
  searchTerms: (value) => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).flatMap(terms),
});

const toStringResult = (result: ValueResult<string>): ValueResult<string> => result;

export const emailField = createContactHandler(
  'email',
  (input) => toStringResult(normalizeEmail(input)),
  (email) => [email],
  'email',
);

export const phoneField = createContactHandler(
  'phone',
  (input, field) => {
    const result = normalizePhone(input, field.options?.defaultCountry);
    return result.ok ? { ok: true, value: result.value } : result;
  },
  // Global search keys a number by its digits (engine/search/search-tokens.ts), however it is typed.
  (phone) => [phone],
  'phone',
);

export const urlField = createContactHandler(
  'url',
  (input) => toStringResult(normalizeUrl(input)),
  (url) => [domainOf(url) ?? url],
  'uri',
);
