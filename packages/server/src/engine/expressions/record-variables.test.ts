import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, type FieldDefinition } from '@rapport/common';
import { compileExpression } from './cel.ts';
import { celTypeOfField, describeRecordFields, toExpressionValues } from './record-variables.ts';

const field = (definition: Pick<FieldDefinition, 'name' | 'type'> & Partial<FieldDefinition>): FieldDefinition => ({ label: definition.name, ...definition });

const fields = [
  field({ name: 'name', type: 'text' }),
  field({ name: 'amount', type: 'currency' }),
  field({ name: 'emails', type: 'email', options: { multiple: true } }),
  field({ name: 'closeDate', type: 'date' }),
  field({ name: 'margin', type: 'formula', options: { expression: 'record.amount * 0.2', resultType: 'number' } }),
];

describe('celTypeOfField', () => {
  it('should give every field type a CEL type', () => {
    for (const type of FIELD_TYPES) expect(celTypeOfField({ type })).toBeTruthy();
  });

  it('should follow the options that change a value shape', () => {
    expect(celTypeOfField({ type: 'phone' })).toBe('string');
    expect(celTypeOfField({ type: 'phone', options: { multiple: true } })).toBe('list<string>');
    expect(celTypeOfField({ type: 'formula', options: { resultType: 'date' } })).toBe('timestamp');
  });
});

describe('describeRecordFields', () => {
  it('should describe system fields and the object fields', () => {
    expect(describeRecordFields(fields)).toMatchObject({
      id: 'string',
      createdAt: 'timestamp',
      version: 'int',
      name: 'string',
      amount: 'double',
      emails: 'list<string>',
      closeDate: 'timestamp',
      margin: 'double',
    });
  });

  it('should let a rule read a currency amount through toExpressionValues', () => {
    const record = toExpressionValues(fields, { name: 'Deal', amount: { amount: 500, currency: 'EUR' }, createdAt: '2024-05-01T00:00:00Z' });
    const rule = compileExpression({ expression: 'record.amount > 100 && record.createdAt < now()', variables: { record: describeRecordFields(fields) } });
    expect(rule.evaluate({ record })).toBe(true);
  });
});
