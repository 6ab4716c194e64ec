import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { encryptionBlockerOf, formulasReading, hasEqualityLookups, isFinished } from './encryption-model.ts';

const field = (definition: Partial<FieldDefinition> & Pick<FieldDefinition, 'name' | 'type'>): FieldDefinition => ({ label: definition.name, ...definition });
const objectWith = (fields: FieldDefinition[], labelField = 'name'): ObjectDefinition => ({ name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', labelField, fields }) as ObjectDefinition;

describe('field encryption model', () => {
  const plate = field({ name: 'plate', type: 'text' });

  it('should allow a plain text field that nothing else depends on', () => {
    expect(encryptionBlockerOf(objectWith([field({ name: 'name', type: 'text' }), plate]), plate)).toBeNull();
  });

  it('should give the reason a field cannot be encrypted, as the server checks it', () => {
    expect(encryptionBlockerOf(objectWith([]), field({ name: 'vin', type: 'text', options: { encrypted: true } }))).toBe('encrypted');
    expect(encryptionBlockerOf(objectWith([]), field({ name: 'size', type: 'select' }))).toBe('type');
    expect(encryptionBlockerOf(objectWith([], 'plate'), plate)).toBe('title');
    expect(encryptionBlockerOf(objectWith([]), field({ name: 'note', type: 'text', defaultValue: 'x' }))).toBe('defaultValue');
    expect(encryptionBlockerOf(objectWith([]), field({ name: 'code', type: 'text', unique: true }))).toBe('unique');
    // Single email and phone fields stay unique through the blind index.
    expect(encryptionBlockerOf(objectWith([]), field({ name: 'mail', type: 'email', unique: true }))).toBeNull();
    expect(encryptionBlockerOf(objectWith([]), field({ name: 'mails', type: 'email', unique: true, options: { multiple: true } }))).toBe('unique');
  });

  it('should find formulas reading the field by name, or the whole record, and no others', () => {
    const reads = field({ name: 'label', type: 'formula', options: { expression: 'record.plate + "!"' } });
    const whole = field({ name: 'all', type: 'formula', options: { expression: 'size(record) > 2' } });
    const other = field({ name: 'other', type: 'formula', options: { expression: 'record.plates2 + record.make' } });
    expect(formulasReading(objectWith([plate, reads, other]), plate).map((each) => each.name)).toEqual(['label']);
    expect(formulasReading(objectWith([plate, whole]), plate).map((each) => each.name)).toEqual(['all']);
    expect(encryptionBlockerOf(objectWith([plate, other]), plate)).toBeNull();
    expect(encryptionBlockerOf(objectWith([plate, reads]), plate)).toBe('formula');
  });

  it('should say which encrypted fields keep equality lookups and when a job is over', () => {
    expect(hasEqualityLookups(field({ name: 'phone', type: 'phone' }))).toBe(true);
    expect(hasEqualityLookups(plate)).toBe(false);
    expect(isFinished('running')).toBe(false);
    expect(isFinished('failed')).toBe(true);
  });
});
