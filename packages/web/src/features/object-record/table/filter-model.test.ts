import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { buildFilter, filterTargetsOf, parseRules, quickSearchFieldsOf, referenceValuesOf, relationIdsOf, rulesOfFilter } from './filter-model.ts';

const company: ObjectDefinition = {
  name: 'company',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', isSearchable: true, position: 0 },
    { name: 'domain', type: 'url', label: 'Domain', isSearchable: true, position: 1 },
    { name: 'industry', type: 'select', label: 'Industry', options: { choices: [{ value: 'retail', label: 'Retail' }] }, position: 2 },
    { name: 'employees', type: 'number', label: 'Employees', position: 3 },
    { name: 'foundedOn', type: 'date', label: 'Founded', position: 4 },
    { name: 'isActive', type: 'boolean', label: 'Active', position: 5 },
    { name: 'address', type: 'address', label: 'Address', position: 6 },
    { name: 'tags', type: 'multiSelect', label: 'Tags', options: { choices: [{ value: 'vip', label: 'VIP' }] }, position: 7 },
    { name: 'people', type: 'relation', label: 'People', options: { kind: 'oneToMany', target: 'person', inverseName: 'company' }, isReadOnly: true, position: 8 },
    { name: 'payload', type: 'json', label: 'Payload', position: 9 },
    { name: 'parentCompany', type: 'relation', label: 'Parent', options: { kind: 'manyToOne', target: 'company' }, position: 10 },
  ],
};

const task: ObjectDefinition = {
  name: 'task',
  labelSingular: 'Task',
  labelPlural: 'Tasks',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title', position: 0 },
    { name: 'related', type: 'reference', label: 'Related to', position: 1 },
    { name: 'labels', type: 'json', label: 'Labels', position: 2 },
  ],
};

const ADA = '3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10';
const ACME = '9a7d1f0e-2c1b-4b8a-8f3e-5d6c7b8a9e0f';

describe('filter bar model', () => {
  it('should offer operators that fit each field type, address parts, and contains or presence for JSON', () => {
    const targets = new Map(filterTargetsOf(company).map((target) => [target.path, target.ops]));
    expect(targets.get('name')).toContain('contains');
    expect(targets.get('employees')).toEqual(expect.arrayContaining(['gt', 'lte', 'isEmpty']));
    expect(targets.get('employees')).not.toContain('contains');
    expect(targets.get('foundedOn')).toEqual(expect.arrayContaining(['during', 'inLastDays']));
    expect(targets.get('isActive')).toEqual(['eq', 'neq', 'isEmpty', 'isNotEmpty']);
    expect(targets.get('tags')).toEqual(['contains', 'in', 'nin', 'isEmpty', 'isNotEmpty']);
    expect(targets.get('people')).toEqual(['isEmpty', 'isNotEmpty']);
    expect(targets.has('address.city') && targets.has('address.country')).toBe(true);
    expect(targets.has('address')).toBe(false);
    expect(targets.get('payload')).toEqual(['contains', 'isEmpty', 'isNotEmpty']);
  });

  it('should offer a reference by its record and by the object it points to', () => {
    const targets = filterTargetsOf(task);
    const record = targets.find((target) => target.path === 'related');
    const object = targets.find((target) => target.path === 'related.object');

    expect(record).toMatchObject({ kind: 'reference', ops: ['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty'] });
    expect(record?.part).toBeUndefined();
    expect(object).toMatchObject({ kind: 'reference', part: 'object', ops: ['eq', 'neq', 'in', 'nin'] });
  });

  it('should compare a reference with record ids (picked as object:id, or bare) and its object with object names', () => {
    const filter = buildFilter({
      object: task,
      rules: [
        { field: 'related.object', op: 'in', value: 'person, company' },
        { field: 'related', op: 'eq', value: `person:${ADA}` },
        { field: 'related', op: 'nin', value: `person:${ADA.toUpperCase()}, ${ACME}` },
        { field: 'related', op: 'isNotEmpty' },
      ],
    });

    expect(filter).toEqual({
      and: [
        { field: 'related.object', op: 'in', value: ['person', 'company'] },
        { field: 'related', op: 'eq', value: ADA },
        { field: 'related', op: 'nin', value: [ADA, ACME] },
        { field: 'related', op: 'isNotEmpty' },
      ],
    });
  });

  it('should leave out reference conditions whose value is not a record or an object name yet', () => {
    expect(buildFilter({ object: task, rules: [{ field: 'related', op: 'eq', value: 'person:' }] })).toBeUndefined();
    expect(buildFilter({ object: task, rules: [{ field: 'related', op: 'in', value: `person:${ADA}, Acme` }] })).toBeUndefined();
    expect(buildFilter({ object: task, rules: [{ field: 'related.object', op: 'eq', value: 'Person record' }] })).toBeUndefined();
  });

  it('should read a saved reference filter back, `.id` as the record itself', () => {
    const saved = { and: [{ field: 'related.id', op: 'eq' as const, value: ADA }, { field: 'related.object', op: 'neq' as const, value: 'company' }] };
    const { rules } = rulesOfFilter(saved);

    expect(rules).toEqual([{ field: 'related', op: 'eq', value: ADA }, { field: 'related.object', op: 'neq', value: 'company' }]);
    expect(buildFilter({ object: task, rules })).toEqual({ and: [{ field: 'related', op: 'eq', value: ADA }, { field: 'related.object', op: 'neq', value: 'company' }] });
  });

  it('should look for a text in a JSON list, or JSON typed as such, and read it back', () => {
    expect(buildFilter({ object: task, rules: [{ field: 'labels', op: 'contains', value: ' vip ' }] })).toEqual({ field: 'labels', op: 'contains', value: 'vip' });
    expect(buildFilter({ object: task, rules: [{ field: 'labels', op: 'contains', value: '["vip", "north"]' }] })).toEqual({ field: 'labels', op: 'contains', value: ['vip', 'north'] });
    expect(buildFilter({ object: task, rules: [{ field: 'labels', op: 'contains', value: '{"region": "south"}' }] })).toEqual({ field: 'labels', op: 'contains', value: { region: 'south' } });
    // Not JSON after all: looked for as written.
    expect(buildFilter({ object: task, rules: [{ field: 'labels', op: 'contains', value: '[draft' }] })).toEqual({ field: 'labels', op: 'contains', value: '[draft' });

    const saved = { field: 'labels', op: 'contains' as const, value: { region: 'south' } };
    expect(buildFilter({ object: task, rules: rulesOfFilter(saved).rules })).toEqual(saved);
  });

  it('should list the records reference conditions name: picked ones with their object, bare ids by field', () => {
    const targets = filterTargetsOf(task);
    const items = [
      { field: 'related', op: 'eq' as const, value: `person:${ADA}` },
      { match: 'or' as const, items: [{ field: 'related', op: 'in' as const, value: `company:${ACME}, ${ADA}` }, { field: 'related.object', op: 'eq' as const, value: 'person' }] },
    ];

    expect(referenceValuesOf(targets, items)).toEqual({
      references: [{ object: 'person', id: ADA }, { object: 'company', id: ACME }],
      bareIds: new Map([['related', [ADA]]]),
    });
  });

  it('should build the query language filter with typed values when several rules are set', () => {
    const filter = buildFilter({
      object: company,
      rules: [
        { field: 'employees', op: 'gte', value: '1,5' },
        { field: 'isActive', op: 'eq', value: 'false' },
        { field: 'foundedOn', op: 'inLastDays', value: '30' },
        { field: 'industry', op: 'isEmpty' },
        { field: 'address.country', op: 'eq', value: 'de' },
      ],
    });
    expect(filter).toEqual({
      and: [
        { field: 'employees', op: 'gte', value: 1.5 },
        { field: 'isActive', op: 'eq', value: false },
        { field: 'foundedOn', op: 'inLastDays', value: 30 },
        { field: 'industry', op: 'isEmpty' },
        { field: 'address.country', op: 'eq', value: 'DE' },
      ],
    });
  });

  it('should leave out rules that are incomplete, unknown or use an operator the field does not take', () => {
    const filter = buildFilter({
      object: company,
      rules: [
        { field: 'employees', op: 'gt', value: 'many' },
        { field: 'foundedOn', op: 'during', value: 'someday' },
        { field: 'name', op: 'contains', value: '  ' },
        { field: 'shoeSize', op: 'eq', value: '42' },
        { field: 'employees', op: 'contains', value: '4' },
        { field: 'name', op: 'startsWith', value: 'Ac' },
      ],
    });
    expect(filter).toEqual({ field: 'name', op: 'startsWith', value: 'Ac' });
    expect(buildFilter({ object: company, rules: [] })).toBeUndefined();
  });

  it('should search the title and searchable text fields for a quick search', () => {
    expect(quickSearchFieldsOf(company)).toEqual(['name', 'domain']);
    expect(buildFilter({ object: company, rules: [{ field: 'industry', op: 'eq', value: 'retail' }], quickSearch: ' acme ' })).toEqual({
      and: [
        { or: [{ field: 'name', op: 'contains', value: 'acme' }, { field: 'domain', op: 'contains', value: 'acme' }] },
        { field: 'industry', op: 'eq', value: 'retail' },
      ],
    });
  });

  it('should read rules from the URL and drop anything malformed', () => {
    expect(parseRules('[{"field":"name","op":"contains","value":"a"},{"field":1},"x",{"field":"b","op":"isEmpty"}]')).toEqual([
      { field: 'name', op: 'contains', value: 'a' },
      { field: 'b', op: 'isEmpty' },
    ]);
    expect(parseRules('{not json')).toEqual([]);
    expect(parseRules(null)).toEqual([]);
  });

  it('should build nested and/or groups, lists and ranges, and drop empty groups', () => {
    const filter = buildFilter({
      object: company,
      match: 'or',
      rules: [
        { field: 'industry', op: 'in', value: 'retail, software' },
        { match: 'and', items: [{ field: 'employees', op: 'between', value: '10', value2: '50' }, { match: 'or', items: [{ field: 'foundedOn', op: 'during', value: 'thisYear' }, { field: 'name', op: 'startsWith', value: 'A' }] }] },
        { match: 'and', items: [{ field: 'employees', op: 'between', value: '10' }] },
      ],
    });
    expect(filter).toEqual({
      or: [
        { field: 'industry', op: 'in', value: ['retail', 'software'] },
        { and: [{ field: 'employees', op: 'between', value: [10, 50] }, { or: [{ field: 'foundedOn', op: 'during', value: 'thisYear' }, { field: 'name', op: 'startsWith', value: 'A' }] }] },
      ],
    });
    expect(rulesOfFilter(filter)).toEqual({
      match: 'or',
      rules: [
        { field: 'industry', op: 'in', value: 'retail, software' },
        { match: 'and', items: [{ field: 'employees', op: 'between', value: '10', value2: '50' }, { match: 'or', items: [{ field: 'foundedOn', op: 'during', value: 'thisYear' }, { field: 'name', op: 'startsWith', value: 'A' }] }] },
      ],
    });
  });

  it('should read groups from the URL but not deeper than the builder nests', () => {
    const group = { match: 'or', items: [{ field: 'name', op: 'eq', value: 'a' }] };
    expect(parseRules(JSON.stringify([group]))).toEqual([group]);
    expect(parseRules(JSON.stringify([{ match: 'or', items: [{ match: 'and', items: [group] }] }]))).toEqual([]);
    expect(parseRules(JSON.stringify([{ match: 'xor', items: [] }]))).toEqual([]);
  });

  it('should compare a many-to-one relation with picked records and collect the ids to name', () => {
    const targets = filterTargetsOf(company);
    expect(targets.find((target) => target.path === 'parentCompany')?.ops).toEqual(['eq', 'neq', 'in', 'nin', 'isEmpty', 'isNotEmpty']);
    expect(targets.find((target) => target.path === 'people')?.ops).toEqual(['isEmpty', 'isNotEmpty']);
    const acme = '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11';
    const globex = '7c0e4b1a-2d3f-4e5a-8b6c-9d0e1f2a3b4c';
    const rules = [
      { field: 'parentCompany', op: 'eq' as const, value: acme },
      { match: 'or' as const, items: [{ field: 'parentCompany', op: 'in' as const, value: `${globex}, ${acme}, not-an-id` }, { field: 'name', op: 'eq' as const, value: acme }] },
    ];
    expect(buildFilter({ object: company, rules, match: 'and' })).toEqual({
      and: [{ field: 'parentCompany', op: 'eq', value: acme }, { or: [{ field: 'parentCompany', op: 'in', value: [globex, acme, 'not-an-id'] }, { field: 'name', op: 'eq', value: acme }] }],
    });
    expect(relationIdsOf(targets, rules)).toEqual(new Map([['company', [acme, globex]]]));
  });
});
