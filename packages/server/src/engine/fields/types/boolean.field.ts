import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

export const booleanField: FieldTypeHandler = {
  type: 'boolean',
  columns: (field) => [{ column: field.column, sqlType: 'boolean', index: 'btree' }],
  toDb: (value, field) =>
    value === null || typeof value === 'boolean' ? single(field, value) : fail('invalidType', 'Expected true or false.'),
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'boolean' }),
  jsonSchema: () => nullable({ type: 'boolean' }),
};
