import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, single, type FieldTypeHandler } from '../field-type.ts';

const choiceValues = (field: FieldMeta) => (field.options?.choices ?? []).map((choice) => choice.value);

const checkChoice = (field: FieldMeta, value: unknown): string | undefined => {
  const values = choiceValues(field);
  if (typeof value !== 'string' || !values.includes(value)) {
    return `Expected one of: ${values.map((v) => JSON.stringify(v)).join(', ')}.`;
  }
  return undefined;
};

export const selectField: FieldTypeHandler = {
  type: 'select',
  columns: (field) => [{ column: field.column, sqlType: 'text', index: 'btree' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    const problem = checkChoice(field, value);
    return problem ? fail('invalidChoice', problem) : single(field, value);
  },
  fromDb: (row, field) => row[field.column] ?? null,
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'text', choices: choiceValues(field) }),
  jsonSchema: (field) => nullable({ type: 'string', enum: choiceValues(field) }),
};

export const multiSelectField: FieldTypeHandler = {
  type: 'multiSelect',
  columns: (field) => [{ column: field.column, sqlType: 'text[]', index: 'gin' }],
  toDb(value, field) {
    if (value === null) return single(field, null);
    if (!Array.isArray(value)) return fail('invalidType', 'Expected a list of choices.');
    for (const item of value) {
      const problem = checkChoice(field, item);
      if (problem) return fail('invalidChoice', problem);
    }
    const unique = [...new Set(value as string[])];
    return single(field, unique.length === 0 ? null : unique);
  },
  fromDb: (row, field) => row[field.column] ?? [],
  operand: (field, part) => (part ? undefined : { column: field.column, kind: 'textArray', choices: choiceValues(field) }),
  jsonSchema: (field) => nullable({ type: 'array', items: { type: 'string', enum: choiceValues(field) }, uniqueItems: true }),
};
