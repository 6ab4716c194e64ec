import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { detailFieldsOf, formFieldsOf, includesOf, isSortable, recordTitleOf, relatedListsOf, tableFieldsOf, titleFieldOf } from './metadata.ts';

const person: ObjectDefinition = {
  name: 'person',
  labelSingular: 'Person',
  labelPlural: 'People',
  labelField: 'fullName',
  isStandard: true,
  fields: [
    { name: 'lastName', type: 'text', label: 'Last name', position: 1 },
    { name: 'firstName', type: 'text', label: 'First name', position: 0 },
    { name: 'fullName', type: 'formula', label: 'Full name', isReadOnly: true, options: { expression: 'x', resultType: 'text' }, position: 2 },
    { name: 'bio', type: 'richText', label: 'Bio', position: 3 },
    { name: 'emails', type: 'email', label: 'Emails', options: { multiple: true }, position: 4 },
    { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', kind: 'manyToOne' }, position: 5 },
    { name: 'opportunities', type: 'relation', label: 'Opportunities', options: { target: 'opportunity', kind: 'manyToMany' }, position: 6 },
    { name: 'tasks', type: 'relation', label: 'Tasks', isReadOnly: true, options: { target: 'task', kind: 'oneToMany', inverseName: 'person' }, position: 7 },
    { name: 'address', type: 'address', label: 'Address', position: 8 },
  ],
};

describe('metadata for screens', () => {
  it('should order fields by position and give each screen its fields', () => {
    expect(tableFieldsOf(person).map((field) => field.name)).toEqual(['firstName', 'lastName', 'fullName', 'emails', 'company', 'opportunities', 'address']);
    expect(detailFieldsOf(person).map((field) => field.name)).toContain('bio');
    expect(detailFieldsOf(person).map((field) => field.name)).not.toContain('tasks');
    expect(formFieldsOf(person).map((field) => field.name)).toEqual(['firstName', 'lastName', 'bio', 'emails', 'company', 'opportunities', 'address']);
    expect(relatedListsOf(person).map((field) => field.name)).toEqual(['tasks']);
    expect(includesOf(person.fields)).toEqual(['company', 'opportunities']);
  });

  it('should include references with the relations a screen reads, sorting on neither', () => {
    const fields = [...person.fields, { name: 'related', type: 'reference' as const, label: 'Related to', position: 9 }];

    expect(includesOf(fields)).toEqual(['company', 'opportunities', 'related']);
    expect(isSortable(fields.at(-1)!)).toBe(false);
  });

  it('should sort only on scalar values', () => {
    const sortable = Object.fromEntries(person.fields.map((field) => [field.name, isSortable(field)]));
    expect(sortable).toMatchObject({ firstName: true, fullName: true, emails: false, company: false, opportunities: false, address: false, tasks: false });
  });

  it('should name a record by its label field', () => {
    expect(titleFieldOf(person)).toBe('fullName');
    expect(recordTitleOf(person, { id: 'x', fullName: 'Ada Lovelace' })).toBe('Ada Lovelace');
    expect(recordTitleOf(person, { id: 'x', fullName: '  ' })).toBeUndefined();
    expect(titleFieldOf({ ...person, labelField: undefined, fields: [{ name: 'plate', type: 'text', label: 'Plate' }] })).toBe('plate');
  });
});
