import type { FormulaResultType } from '@rapport/common';
import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, type FieldTypeHandler, type ScalarKind } from '../field-type.ts';

const SQL_TYPE: Record<FormulaResultType, string> = {
  text: 'text',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
};
const KIND: Record<FormulaResultType, ScalarKind> = { text: 'text', number: 'number', boolean: 'boolean', date: 'date', datetime: 'datetime' };
const SCHEMA: Record<FormulaResultType, Record<string, unknown>> = {
  text: { type: 'string' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
};

export const formulaResultType = (field: FieldMeta): FormulaResultType => field.options?.resultType ?? 'text';

// Computed by the write path on every write and stored, so formulas filter, sort and index like any column.
export const formulaField: FieldTypeHandler = {
  type: 'formula',
  columns: (field) => [{ column: field.column, sqlType: SQL_TYPE[formulaResultType(field)], index: 'btree' }],
  toDb: () => fail('readOnly', 'A formula is computed; it cannot be written.'),
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: KIND[formulaResultType(field)] }),
  jsonSchema: (field) => ({ ...nullable(SCHEMA[formulaResultType(field)]), readOnly: true, description: `= ${field.options?.expression ?? ''}` }),
};
