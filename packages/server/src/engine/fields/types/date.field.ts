import { normalizeDate, normalizeDateTime } from '@rapport/common/values/index';
import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

export const dateField: FieldTypeHandler = {
  type: 'date',
  columns: (field) => [{ column: field.column, sqlType: 'date', index: 'btree' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (typeof value !== 'string') return fail('invalidDate', 'Expected a date as YYYY-MM-DD.');
    const result = normalizeDate(value);
    return result.ok ? single(field, result.value) : fail(result.code, result.message);
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'date' }),
  jsonSchema: () => nullable({ type: 'string', format: 'date' }),
};

export const datetimeField: FieldTypeHandler = {
  type: 'datetime',
  columns: (field) => [{ column: field.column, sqlType: 'timestamptz', index: 'btree' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (typeof value !== 'string') return fail('invalidDate', 'Expected an ISO 8601 date and time.');
    const result = normalizeDateTime(value);
    return result.ok ? single(field, result.value) : fail(result.code, result.message);
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'datetime' }),
  jsonSchema: () => nullable({ type: 'string', format: 'date-time' }),
};
