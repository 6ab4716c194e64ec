import { fail, single, type FieldTypeHandler } from '../field-type.ts';

const MAX_JSON_BYTES = 256 * 1024;

export const jsonField: FieldTypeHandler = {
  type: 'json',
  columns: (field) => [{ column: field.column, sqlType: 'jsonb' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    const text = JSON.stringify(value);
    if (text.length > MAX_JSON_BYTES) return fail('tooLong', `At most ${MAX_JSON_BYTES} bytes of JSON.`);
    return single(field, text);
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'json' }),
  jsonSchema: () => ({}),
};
