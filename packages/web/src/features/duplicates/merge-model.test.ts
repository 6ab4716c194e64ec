import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../api/types.ts';
import { defaultChoices, differingFields, isEmptyValue, mergeableFieldsOf, mergeValuesOf } from './merge-model.ts';

const fields: FieldDefinition[] = [
  { name: 'firstName', type: 'text', label: 'First name' },
  { name: 'email', type: 'email', label: 'Email' },
  { name: 'phone', type: 'phone', label: 'Phone' },
  { name: 'address', type: 'address', label: 'Address' },
  { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', kind: 'manyToOne' } },
  { name: 'tags', type: 'relation', label: 'Tags', options: { target: 'tag', kind: 'manyToMany' } },
  { name: 'fullName', type: 'formula', label: 'Full name', options: { expression: 'x', resultType: 'text' } },
];
const object = { name: 'person', labelSingular: 'Person', labelPlural: 'People', fields } as ObjectDefinition;
const record = (id: string, values: Record<string, unknown>) => ({ id, version: 1, createdAt: '', updatedAt: '', ...values }) as unknown as ApiRecord;

describe('merge model', () => {
  const survivor = record('s', { firstName: 'Peter', email: 'peter@x.example', phone: null, address: { city: null, country: null }, company: null });
  const other = record('o', { firstName: 'Pete', email: 'pete@x.example', phone: '+14155550100', address: { city: 'Paris', country: 'FR' }, company: { id: 'c1', name: 'Initech' } });
  const mergeable = mergeableFieldsOf(object);

  it('should offer the form fields but many-to-many links and formulas', () => {
    expect(mergeable.map((field) => field.name)).toEqual(['firstName', 'email', 'phone', 'address', 'company']);
  });

  it('should treat empty strings, lists and composites with empty parts as empty', () => {
    expect(isEmptyValue('')).toBe(true);
    expect(isEmptyValue([])).toBe(true);
    expect(isEmptyValue({ city: null, country: '' })).toBe(true);
    expect(isEmptyValue({ city: 'Paris' })).toBe(false);
    expect(isEmptyValue(0)).toBe(false);
  });

  it('should keep the survivor\'s value where it has one, else take the other record\'s', () => {
    expect(defaultChoices(mergeable, survivor, other)).toEqual({ firstName: 's', email: 's', phone: 'o', address: 'o', company: 'o' });
  });

  it('should send only the fields taking the other record\'s different value, relations as ids', () => {
    const choices = { ...defaultChoices(mergeable, survivor, other), email: 'o' };

    expect(mergeValuesOf(mergeable, choices, survivor, other)).toEqual({ email: 'pete@x.example', phone: '+14155550100', address: { city: 'Paris', country: 'FR' }, company: 'c1' });
    expect(mergeValuesOf(mergeable, defaultChoices(mergeable, survivor, survivor), survivor, survivor)).toEqual({});
  });

  it('should compare references by object and id and send them as {object, id}, not the record read with them', () => {
    const related: FieldDefinition = { name: 'related', type: 'reference', label: 'Related to' };
    const ada = { object: 'person', id: 'p1' };
    const kept = record('s', { related: { ...ada, record: { id: 'p1', fullName: 'Ada' } } });
    const same = record('o', { related: { ...ada, record: null } });
    const moved = record('o', { related: { object: 'company', id: 'c1', record: { id: 'c1', name: 'Acme' } } });

    expect([...differingFields([related], kept, same)]).toEqual([]);
    expect(mergeValuesOf([related], { related: 'o' }, kept, moved)).toEqual({ related: { object: 'company', id: 'c1' } });
  });

  it('should list the fields whose values differ, comparing relations by id', () => {
    const same = record('o2', { ...survivor, company: null });

    expect([...differingFields(mergeable, survivor, other)]).toEqual(['firstName', 'email', 'phone', 'address', 'company']);
    expect([...differingFields(mergeable, survivor, same)]).toEqual([]);
  });
});
