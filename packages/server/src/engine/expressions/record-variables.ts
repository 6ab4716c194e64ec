import { assertNever, type FieldDefinition, type FormulaResultType } from '@rapport/common';
import type { CelType } from './cel-types.ts';

type FieldShape = Pick<FieldDefinition, 'name' | 'type' | 'options'>;

/** System fields every record has, with their CEL types. */
export const SYSTEM_FIELD_CEL_TYPES: Readonly<Record<string, CelType>> = {
  id: 'string',
  version: 'int',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  deletedAt: 'timestamp',
  createdBy: 'string',
  updatedBy: 'string',
};

export const celTypeOfFormulaResult = (resultType: FormulaResultType): CelType => {
  switch (resultType) {
    case 'text':
      return 'string';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'date':
    case 'datetime':
      return 'timestamp';
    default:
      return assertNever(resultType, 'formula result type');
  }
};

/** The CEL type of a field's value in `record` (see toExpressionValues for the value shapes). */
export const celTypeOfField = (field: Pick<FieldDefinition, 'type' | 'options'>): CelType => {
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'select':
    case 'owner':
      return 'string';
    case 'number':
    case 'percent':
    case 'rating':
    // A currency field reads as its amount; its code is not visible to expressions yet.
    case 'currency':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'date':
    case 'datetime':
      return 'timestamp';
    case 'multiSelect':
      return 'list<string>';
    case 'email':
    case 'phone':
    case 'url':
      return field.options?.multiple ? 'list<string>' : 'string';
    case 'address':
    // {object, id}
    case 'reference':
      return 'map';
    // Relation values differ by kind (an id, a list, an expanded record): left dynamic.
    case 'relation':
    case 'json':
      return 'dyn';
    case 'formula':
      return celTypeOfFormulaResult(field.options?.resultType ?? 'text');
    default:
      return assertNever(field.type, 'field type');
  }
};

/** The fields of `record` (and `previous`) for compileExpression, system fields included. */
export const describeRecordFields = (fields: readonly FieldShape[]): Record<string, CelType> => {
  const described: Record<string, CelType> = { ...SYSTEM_FIELD_CEL_TYPES };
  for (const field of fields) described[field.name] = celTypeOfField(field);
  return described;
};

/** A record in API shape to what expressions read: currency fields become their amount. */
export const toExpressionValues = (fields: readonly FieldShape[], record: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const values: Record<string, unknown> = { ...record };
  for (const field of fields) {
    if (field.type !== 'currency') continue;
    const money = values[field.name];
    if (typeof money === 'object' && money !== null && 'amount' in money) values[field.name] = money.amount;
  }
  return values;
};
