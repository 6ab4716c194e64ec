import type { FieldDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { applyLookups, boundsOf, cellOfBatchError, cellText, moveFocus, parseTsv, planPaste, toTsv } from './cell-range.ts';
import { lookupKey, objectResolverOf, parsePastedValue } from './paste-values.ts';

const field = (name: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, type, label: name, ...extra }) as FieldDefinition;
const stage = field('stage', 'select', { options: { choices: [{ value: 'proposal', label: 'Proposal' }, { value: 'won', label: 'Won' }] } });
const amount = field('amount', 'currency');
const name = field('name', 'text');
const employees = field('employees', 'number');
const closeDate = field('closeDate', 'date');
const score = field('score', 'formula', { options: { resultType: 'number' } });

describe('cell ranges', () => {
  it('should move the focus with arrows, extend with Shift, and stay inside the table', () => {
    const start = { anchor: { row: 1, col: 1 }, focus: { row: 1, col: 1 } };
    const extended = moveFocus(start, { rows: 3, cols: 3, extend: true }, { row: 1, col: 0 });
    expect(extended).toEqual({ anchor: { row: 1, col: 1 }, focus: { row: 2, col: 1 } });
    expect(boundsOf(moveFocus(extended, { rows: 3, cols: 3, extend: true }, { row: 0, col: -1 }))).toEqual({ top: 1, bottom: 2, left: 0, right: 1 });
    expect(moveFocus(extended, { rows: 3, cols: 3, extend: false }, { row: 5, col: 5 })).toEqual({ anchor: { row: 2, col: 2 }, focus: { row: 2, col: 2 } });
  });

  it('should write and read tab-separated text as spreadsheets do, with quoted tabs, quotes and line breaks', () => {
    const grid = [['Acme', 'says "hi"', 'two\nlines'], ['', 'tab\there', '3']];
    const text = toTsv(grid);
    expect(text).toBe('Acme\t"says ""hi"""\t"two\nlines"\n\t"tab\there"\t3');
    expect(parseTsv(text)).toEqual(grid);
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseTsv('')).toEqual([]);
  });

  it('should read pasted text as each field type wants it, and say why when it does not fit', () => {
    expect(parsePastedValue(employees, ' 1 234,5 ')).toEqual({ value: 1234.5 });
    expect(parsePastedValue(employees, '1,234.5')).toEqual({ value: 1234.5 });
    expect(parsePastedValue(employees, 'many')).toEqual({ error: 'invalidNumber' });
    expect(parsePastedValue(employees, '')).toEqual({ value: null });
    expect(parsePastedValue(stage, 'won')).toEqual({ value: 'won' });
    expect(parsePastedValue(stage, 'proposal ')).toEqual({ value: 'proposal' });
    expect(parsePastedValue(stage, 'PROPOSAL')).toEqual({ value: 'proposal' });
    expect(parsePastedValue(stage, 'lost')).toEqual({ error: 'invalidChoice' });
    expect(parsePastedValue(amount, '2500 USD')).toEqual({ value: { amount: 2500, currency: 'USD' } });
    expect(parsePastedValue(amount, '€1,5', { amount: 1, currency: 'EUR' })).toEqual({ value: { amount: 1.5, currency: 'EUR' } });
    expect(parsePastedValue(closeDate, '2026-12-01')).toEqual({ value: '2026-12-01' });
    expect(parsePastedValue(closeDate, '01/12/2026')).toEqual({ error: 'invalidDate' });
    expect(parsePastedValue(field('isActive', 'boolean'), 'Yes')).toEqual({ value: true });
    expect(parsePastedValue(field('isActive', 'boolean'), 'maybe')).toEqual({ error: 'invalidBoolean' });
    expect(parsePastedValue(score, '3')).toEqual({ error: 'readOnly' });
    expect(parsePastedValue(field('data', 'json'), '{}')).toEqual({ error: 'notPasteable' });
  });

  it('should turn names pasted into owner and relation cells into lookups, and ids or blanks into values', () => {
    const company = field('company', 'relation', { options: { target: 'company', kind: 'manyToOne' } });
    const tags = field('tags', 'relation', { options: { target: 'tag', kind: 'manyToMany' } });
    const owner = field('owner', 'owner');
    expect(parsePastedValue(company, ' Acme ')).toEqual({ lookup: { kind: 'relation', target: 'company', texts: ['Acme'], isMultiple: false } });
    expect(parsePastedValue(tags, 'Hot, Cold')).toEqual({ lookup: { kind: 'relation', target: 'tag', texts: ['Hot', 'Cold'], isMultiple: true } });
    // Names with commas: semicolons separate them when there are any (as a copy writes them).
    expect(parsePastedValue(tags, 'Acme, Inc.; Globex')).toEqual({ lookup: { kind: 'relation', target: 'tag', texts: ['Acme, Inc.', 'Globex'], isMultiple: true } });
    expect(parsePastedValue(owner, 'ada@example.com')).toEqual({ lookup: { kind: 'owner', texts: ['ada@example.com'], isMultiple: false } });
    expect(parsePastedValue(company, '')).toEqual({ value: null });
    expect(parsePastedValue(tags, '')).toEqual({ value: [] });
    expect(parsePastedValue(owner, '0B0E7A3E-1C2D-4E5F-8A9B-0C1D2E3F4A5B')).toEqual({ value: '0b0e7a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' });
  });

  it('should read an address into its parts and plain text into escaped rich text', () => {
    expect(parsePastedValue(field('address', 'address'), '12 rue de la Paix, 75002 Paris, France')).toEqual({ value: { street: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' } });
    expect(parsePastedValue(field('address', 'address'), '')).toEqual({ value: null });
    expect(parsePastedValue(field('body', 'richText'), 'a < b')).toEqual({ value: '<p>a &lt; b</p>' });
  });

  it('should copy each value as text that pastes back to the same value', () => {
    const nameOf = () => 'Acme';
    expect(cellText(stage, 'won', nameOf)).toBe('Won');
    expect(parsePastedValue(stage, cellText(stage, 'won', nameOf))).toEqual({ value: 'won' });
    expect(cellText(amount, { amount: 2500, currency: 'EUR' }, nameOf)).toBe('2500 EUR');
    expect(parsePastedValue(amount, '2500 EUR')).toEqual({ value: { amount: 2500, currency: 'EUR' } });
    expect(cellText(field('company', 'relation'), { id: 'c1', name: 'Acme' }, nameOf)).toBe('Acme');
    const named = (_field: unknown, item: unknown) => (item as { name: string }).name;
    expect(cellText(field('tags', 'relation', { options: { target: 'tag', kind: 'manyToMany' } }), [{ id: 't1', name: 'Acme, Inc.' }, { id: 't2', name: 'Globex' }], named)).toBe('Acme, Inc.; Globex');
    expect(cellText(name, null, nameOf)).toBe('');
    const address = field('address', 'address');
    const paris = { street: '12 rue de la Paix', city: 'Paris', postalCode: '75002', region: 'Île-de-France', country: 'FR', lat: null, lng: null };
    expect(cellText(address, paris, nameOf)).toBe('12 rue de la Paix, 75002 Paris, Île-de-France, FR');
    expect(parsePastedValue(address, cellText(address, paris, nameOf))).toEqual({ value: { street: '12 rue de la Paix', city: 'Paris', postalCode: '75002', region: 'Île-de-France', country: 'FR' } });
  });

  const records = [
    { id: 'r0', version: 1, values: { name: 'Alpha', stage: 'proposal', employees: 1 } },
    { id: 'r1', version: 4, values: { name: 'Beta', stage: 'won', employees: 2 } },
    { id: 'r2', version: 2, values: { name: 'Gamma', stage: null, employees: 3 } },
  ];
  const columns = [name, stage, employees, score];
  const editable = new Set(['name', 'stage', 'employees']);

  it('should plan a block from the range\'s top-left cell, one batch item per record with the old values for Undo', () => {
    const plan = planPaste({ grid: [['won', '10'], ['proposal', '20'], ['won', '30'], ['won', '40']], range: { anchor: { row: 1, col: 1 }, focus: { row: 1, col: 1 } }, records, columns, editable });

    expect(plan.errors).toEqual([]);
    // Lines past the loaded rows are dropped.
    expect(plan.updates).toEqual([
      { id: 'r1', version: 4, row: 1, values: { stage: 'won', employees: 10 }, previous: { stage: 'won', employees: 2 } },
      { id: 'r2', version: 2, row: 2, values: { stage: 'proposal', employees: 20 }, previous: { stage: null, employees: 3 } },
    ]);
    expect(plan.bounds).toEqual({ top: 1, left: 1, bottom: 2, right: 2 });
  });

  it('should fill a whole selected range with one copied value, and name each cell that does not fit', () => {
    const filled = planPaste({ grid: [['7']], range: { anchor: { row: 0, col: 2 }, focus: { row: 2, col: 2 } }, records, columns, editable });
    expect(filled.updates.map((update) => update.values)).toEqual([{ employees: 7 }, { employees: 7 }, { employees: 7 }]);

    const refused = planPaste({ grid: [['lost', 'x', '1']], range: { anchor: { row: 0, col: 1 }, focus: { row: 0, col: 1 } }, records, columns, editable });
    expect(refused.errors).toEqual([
      { row: 0, col: 1, field: 'stage', code: 'invalidChoice' },
      { row: 0, col: 2, field: 'employees', code: 'invalidNumber' },
      { row: 0, col: 3, field: 'score', code: 'readOnly' },
    ]);
  });

  it('should find the cell a batch error names', () => {
    const plan = planPaste({ grid: [['Delta'], ['Echo']], range: { anchor: { row: 1, col: 0 }, focus: { row: 1, col: 0 } }, records, columns, editable });
    expect(cellOfBatchError('records[1].name', plan.updates, columns)).toEqual({ row: 2, col: 0, field: 'name' });
    expect(cellOfBatchError('records[9].name', plan.updates, columns)).toBeUndefined();
    expect(cellOfBatchError('upsertOn', plan.updates, columns)).toBeUndefined();
  });
  it('should wait for owner and relation lookups, then write their ids or name each cell not found', () => {
    const company = field('company', 'relation', { options: { target: 'company', kind: 'manyToOne' } });
    const owner = field('owner', 'owner');
    const people = [
      { id: 'p0', version: 1, values: { name: 'Alpha', company: { id: 'c-old', name: 'Old Co' }, owner: 'u-old' } },
      { id: 'p1', version: 2, values: { name: 'Beta', company: null, owner: null } },
    ];
    const plan = planPaste({
      grid: [['Initech', 'Ada'], ['Nowhere', 'Ada']],
      range: { anchor: { row: 0, col: 1 }, focus: { row: 0, col: 1 } },
      records: people,
      columns: [name, company, owner],
      editable: new Set(['name', 'company', 'owner']),
    });
    expect(plan.errors).toEqual([]);
    expect(plan.lookups.map(({ row, field: name }) => [row, name])).toEqual([[0, 'company'], [0, 'owner'], [1, 'company'], [1, 'owner']]);
    // Undo writes ids back, not the records a read with include gave.
    expect(plan.updates.map((update) => update.previous)).toEqual([{ company: 'c-old', owner: 'u-old' }, { company: null, owner: null }]);

    const results = new Map([
      [lookupKey({ kind: 'relation', target: 'company' }, 'Initech'), { id: 'c1' }],
      [lookupKey({ kind: 'relation', target: 'company' }, 'Nowhere'), { error: 'unknownRecord' as const }],
      [lookupKey({ kind: 'owner' }, 'Ada'), { id: 'u1' }],
    ]);
    const resolved = applyLookups(plan, results);
    expect(resolved.lookups).toEqual([]);
    expect(resolved.errors).toEqual([{ row: 1, col: 1, field: 'company', code: 'unknownRecord' }]);
    expect(resolved.updates).toEqual([
      { id: 'p0', version: 1, row: 0, values: { company: 'c1', owner: 'u1' }, previous: { company: 'c-old', owner: 'u-old' } },
      { id: 'p1', version: 2, row: 1, values: { owner: 'u1' }, previous: { owner: null } },
    ]);
  });

  describe('references', () => {
    const related = field('related', 'reference');
    const host = field('host', 'reference', { options: { targets: ['company'] } });
    const ADA = '3f1c9a52-0b7e-4d7a-9a55-2f8e1c7d4b10';
    const ACME = '9a7d1f0e-2c1b-4b8a-8f3e-5d6c7b8a9e0f';
    const objects = [
      { name: 'person', labelSingular: 'Person', labelPlural: 'People', fields: [] },
      { name: 'company', labelSingular: 'Company', labelPlural: 'Companies', fields: [] },
      { name: 'pipelineStage', labelSingular: 'Stage', labelPlural: 'Stages', fields: [] },
    ];
    // The labels of the interface language count too ("Personne" in French).
    const objectNamed = objectResolverOf(objects, (object) => (object.name === 'person' ? ['Personne'] : []));

    it('should copy a reference as "Object: title", or as object:id when its title is unknown, and paste both back', () => {
      const named = (_field: unknown, value: unknown) => ((value as { record?: { name?: string } }).record?.name ? `Person: ${(value as { record: { name: string } }).record.name}` : undefined);
      const included = { object: 'person', id: ADA, record: { id: ADA, name: 'Ada Lovelace' } };

      expect(cellText(related, included, named)).toBe('Person: Ada Lovelace');
      expect(cellText(related, { object: 'person', id: ADA, record: null }, named)).toBe(`person:${ADA}`);
      expect(cellText(related, { object: 'person', id: ADA }, named)).toBe(`person:${ADA}`);
      expect(cellText(related, null, named)).toBe('');
      expect(parsePastedValue(related, 'Person: Ada Lovelace', undefined, objectNamed)).toEqual({ lookup: { kind: 'relation', target: 'person', texts: ['Ada Lovelace'], isMultiple: false, isReference: true } });
      expect(parsePastedValue(related, `person:${ADA.toUpperCase()}`, undefined, objectNamed)).toEqual({ value: { object: 'person', id: ADA } });
      expect(parsePastedValue(related, `pipelineStage:${ADA}`)).toEqual({ value: { object: 'pipelineStage', id: ADA } });
    });

    it('should read the object by label or API name in any case, a title holding colons, and an empty cell as none', () => {
      expect(parsePastedValue(related, 'personne : Dr: Who', undefined, objectNamed)).toEqual({ lookup: { kind: 'relation', target: 'person', texts: ['Dr: Who'], isMultiple: false, isReference: true } });
      expect(parsePastedValue(related, `Companies: ${ACME}`, undefined, objectNamed)).toEqual({ value: { object: 'company', id: ACME } });
      expect(parsePastedValue(related, '  ', undefined, objectNamed)).toEqual({ value: null });
    });

    it('should refuse a reference whose object is missing, unknown or not allowed', () => {
      expect(parsePastedValue(related, 'Ada Lovelace', undefined, objectNamed)).toEqual({ error: 'invalidReference' });
      expect(parsePastedValue(related, ADA, undefined, objectNamed)).toEqual({ error: 'invalidReference' });
      expect(parsePastedValue(related, 'Planet: Mars', undefined, objectNamed)).toEqual({ error: 'invalidReference' });
      expect(parsePastedValue(host, 'Person: Ada Lovelace', undefined, objectNamed)).toEqual({ error: 'invalidTarget' });
    });

    it('should take the title (or id) alone for a field pointing to one object', () => {
      expect(parsePastedValue(host, 'Acme: the company', undefined, objectNamed)).toEqual({ lookup: { kind: 'relation', target: 'company', texts: ['Acme: the company'], isMultiple: false, isReference: true } });
      expect(parsePastedValue(host, ACME, undefined, objectNamed)).toEqual({ value: { object: 'company', id: ACME } });
    });

    it('should write a found record as {object, id}, and keep {object, id} (not the included record) for Undo', () => {
      const tasks = [
        { id: 't0', version: 3, values: { name: 'Call', related: { object: 'company', id: ACME, record: { id: ACME, name: 'Acme' } } } },
        { id: 't1', version: 1, values: { name: 'Mail', related: null } },
      ];
      const plan = planPaste({ grid: [['Person: Ada Lovelace'], ['Person: Nobody']], range: { anchor: { row: 0, col: 1 }, focus: { row: 0, col: 1 } }, records: tasks, columns: [name, related], editable: new Set(['related']), objectNamed });
      expect(plan.updates.map((update) => update.previous)).toEqual([{ related: { object: 'company', id: ACME } }, { related: null }]);

      const resolved = applyLookups(plan, new Map([
        [lookupKey({ kind: 'relation', target: 'person' }, 'Ada Lovelace'), { id: ADA }],
        [lookupKey({ kind: 'relation', target: 'person' }, 'Nobody'), { error: 'unknownRecord' as const }],
      ]));
      expect(resolved.updates).toEqual([{ id: 't0', version: 3, row: 0, values: { related: { object: 'person', id: ADA } }, previous: { related: { object: 'company', id: ACME } } }]);
      expect(resolved.errors).toEqual([{ row: 1, col: 1, field: 'related', code: 'unknownRecord' }]);
    });
  });
});
