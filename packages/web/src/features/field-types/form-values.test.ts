import type { FieldDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { buildRecordBody, FormValueError, toApiValue, toFormValue } from './form-values.ts';

const field = (definition: Partial<FieldDefinition> & Pick<FieldDefinition, 'name' | 'type'>): FieldDefinition => ({ label: definition.name, ...definition });

describe('form values', () => {
  it('should turn API values into form values and back for every kind of field', () => {
    const cases: [FieldDefinition, unknown][] = [
      [field({ name: 'title', type: 'text' }), 'Analyst'],
      [field({ name: 'employees', type: 'number' }), 42],
      [field({ name: 'amount', type: 'currency' }), { amount: 125000, currency: 'EUR' }],
      [field({ name: 'isVip', type: 'boolean' }), true],
      [field({ name: 'closeDate', type: 'date' }), '2025-06-30'],
      [field({ name: 'tags', type: 'multiSelect', options: { choices: [] } }), ['vip', 'partner']],
      [field({ name: 'emails', type: 'email', options: { multiple: true } }), ['a@b.test']],
      [field({ name: 'address', type: 'address' }), { city: 'Paris', country: 'FR' }],
      [field({ name: 'company', type: 'relation', options: { target: 'company', kind: 'manyToOne' } }), '9a7d1f0e-2c1b-4b8a-8f3e-5d6c7b8a9e0f'],
      [field({ name: 'contacts', type: 'relation', options: { target: 'person', kind: 'manyToMany' } }), ['3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10']],
      [field({ name: 'extra', type: 'json' }), { source: 'import', n: [1, 2] }],
      [field({ name: 'related', type: 'reference' }), { object: 'person', id: '3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10' }],
    ];
    for (const [definition, value] of cases) expect(toApiValue(definition, toFormValue(definition, value)), definition.name).toEqual(value);
  });

  it('should keep the instant of a datetime through the local datetime input', () => {
    const dueAt = field({ name: 'dueAt', type: 'datetime' });
    const form = toFormValue(dueAt, '2025-03-04T09:12:00.000Z');
    expect(form).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(toApiValue(dueAt, form)).toBe('2025-03-04T09:12:00.000Z');
  });

  it('should read related records (included) as their ids', () => {
    const company = field({ name: 'company', type: 'relation', options: { target: 'company' } });
    expect(toFormValue(company, { id: 'abc', name: 'Acme' })).toBe('abc');
    expect(toFormValue(company, null)).toBe('');
    expect(toApiValue(company, '')).toBeNull();
  });

  it('should read a reference (included or not) as its object and record, and write it back as {object, id}', () => {
    const related = field({ name: 'related', type: 'reference' });
    const id = '3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10';

    expect(toFormValue(related, { object: 'person', id, record: { id, fullName: 'Ada Lovelace' } })).toEqual({ object: 'person', id });
    // A record the reader may not see keeps its place: saving the form leaves it as it is.
    expect(toFormValue(related, { object: 'person', id, record: null })).toEqual({ object: 'person', id });
    expect(toFormValue(related, null)).toEqual({ object: '', id: '' });
    expect(toApiValue(related, { object: 'company', id: ` ${id.toUpperCase()} ` })).toEqual({ object: 'company', id });
  });

  it('should start an empty reference on its only object, and count an object without a record as empty', () => {
    const host = field({ name: 'host', type: 'reference', options: { targets: ['company'] } });
    const related = field({ name: 'related', type: 'reference' });

    expect(toFormValue(host, undefined)).toEqual({ object: 'company', id: '' });
    expect(toApiValue(host, { object: 'company', id: '' })).toBeNull();
    expect(toApiValue(related, { object: '', id: '' })).toBeNull();
    expect(toApiValue(related, null)).toBeNull();
  });

  it('should send a reference only when it changed, and null when it was cleared', () => {
    const related = field({ name: 'related', type: 'reference' });
    const id = '3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10';
    const initial = { related: toFormValue(related, { object: 'person', id, record: { id } }) };

    expect(buildRecordBody({ fields: [related], initial, values: { related: { object: 'person', id } } }).body).toEqual({});
    expect(buildRecordBody({ fields: [related], initial, values: { related: { object: 'company', id: '' } } }).body).toEqual({ related: null });
    expect(buildRecordBody({ fields: [related], values: { related: { object: 'person', id: '' } } }).body).toEqual({});
  });

  it('should make empty input null, trim text and upper-case currency codes', () => {
    expect(toApiValue(field({ name: 'title', type: 'text' }), '   ')).toBeNull();
    expect(toApiValue(field({ name: 'title', type: 'text' }), ' Ada ')).toBe('Ada');
    expect(toApiValue(field({ name: 'n', type: 'number' }), '')).toBeNull();
    expect(toApiValue(field({ name: 'amount', type: 'currency' }), { amount: 10, currency: 'usd' })).toEqual({ amount: 10, currency: 'USD' });
    expect(toApiValue(field({ name: 'amount', type: 'currency' }), { amount: '', currency: 'EUR' })).toBeNull();
    expect(toApiValue(field({ name: 'address', type: 'address' }), { street: '', city: ' ', postalCode: '', region: '', country: '' })).toBeNull();
  });

  it('should refuse malformed JSON with a code the form can show', () => {
    expect(() => toApiValue(field({ name: 'extra', type: 'json' }), '{oops')).toThrow(FormValueError);
  });

  it('should send only the changed fields of an edit, and only filled fields of a create', () => {
    const fields = [field({ name: 'firstName', type: 'text' }), field({ name: 'jobTitle', type: 'text' }), field({ name: 'isVip', type: 'boolean' }), field({ name: 'extra', type: 'json' })];
    const initial = { firstName: 'Ada', jobTitle: 'Analyst', isVip: false, extra: '' };
    expect(buildRecordBody({ fields, initial, values: { ...initial, jobTitle: 'Engineer' } })).toEqual({ body: { jobTitle: 'Engineer' }, invalid: {} });
    expect(buildRecordBody({ fields, initial, values: { ...initial, jobTitle: '' } }).body).toEqual({ jobTitle: null });
    expect(buildRecordBody({ fields, values: { firstName: 'Grace', jobTitle: '', isVip: false, extra: '' } }).body).toEqual({ firstName: 'Grace', isVip: false });
    expect(buildRecordBody({ fields, values: { firstName: 'Grace', extra: '{' } }).invalid).toEqual({ extra: 'invalidJson' });
  });
});
