import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

const DEFAULT_MAX = { text: 1000, longText: 100_000, richText: 1_000_000 } as const;

const createTextHandler = (type: 'text' | 'longText' | 'richText'): FieldTypeHandler => ({
  type,
  isSearchableByDefault: false,
  columns: (field) => [{ column: field.column, sqlType: 'text', index: type === 'text' ? 'btree' : undefined }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (typeof value !== 'string') return fail('invalidType', 'Expected a string.');
    // Empty strings are stored as null so "is empty" has one meaning.
    const text = type === 'text' ? value.trim() : value;
    const max = field.options?.maxLength ?? DEFAULT_MAX[type];
    if (text.length > max) return fail('tooLong', `At most ${max} characters.`);
    return single(field, text === '' ? null : text);
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'text' }),
  jsonSchema: (field: FieldMeta) =>
    nullable({ type: 'string', maxLength: field.options?.maxLength ?? DEFAULT_MAX[type], ...(type === 'richText' ? { contentMediaType: 'text/html' } : {}) }),
  searchTerms: (value) => (typeof value === 'string' ? [value] : []),
});

export const textField = createTextHandler('text');
export const longTextField = createTextHandler('longText');
export const richTextField = createTextHandler('richText');
