import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import {
  applySavedMapping,
  canUndo,
  duplicateTargets,
  errorsByCell,
  hasBlockingProblems,
  importableObjects,
  isAcceptedFile,
  mappingForFile,
  mappingProblems,
  missingRequiredFields,
  previewColumnsOf,
  previewPartOf,
  previewValueAt,
  sampleValuesOf,
  PREVIEW_BYTES,
  progressPercent,
  savedMappingFit,
  targetsOf,
  upsertFieldsOf,
  type ImportRun,
} from './import-model.ts';

const company: ObjectDefinition = {
  name: 'company',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, position: 1 },
    { name: 'domain', type: 'url', label: 'Domain', position: 2 },
    { name: 'industry', type: 'select', label: 'Industry', position: 3 },
    { name: 'address', type: 'address', label: 'Address', position: 4 },
    { name: 'people', type: 'relation', label: 'People', options: { target: 'person', kind: 'oneToMany' }, position: 5 },
  ],
};

const person: ObjectDefinition = {
  name: 'person',
  labelSingular: 'Person',
  labelPlural: 'People',
  fields: [
    { name: 'firstName', type: 'text', label: 'First name', position: 1 },
    { name: 'lastName', type: 'text', label: 'Last name', required: true, position: 2 },
    { name: 'fullName', type: 'formula', label: 'Full name', isReadOnly: true, position: 3 },
    { name: 'email', type: 'email', label: 'Email', unique: true, position: 4 },
    { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', kind: 'manyToOne' }, position: 5 },
    { name: 'address', type: 'address', label: 'Address', position: 6 },
    { name: 'status', type: 'select', label: 'Status', required: true, defaultValue: 'lead', position: 7 },
    { name: 'externalId', type: 'text', label: 'External id', unique: true, position: 8 },
  ],
  permissions: { create: true, read: true, update: true, delete: true, export: true, import: true },
};

const names = { field: (_object: ObjectDefinition, field: { label: string }) => field.label, addressPart: (part: string) => part.toUpperCase() };

const run = (changes: Partial<ImportRun> = {}): ImportRun => ({
  id: 'r1', object: 'person', fileName: 'people.csv', format: 'csv', status: 'completed', dryRun: false, upsertOn: null, mapping: {},
  processed: 3, created: 2, updated: 0, failed: 1, totalRows: 3, error: null, undo: null, createdBy: 'u1',
  createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, ...changes,
});

describe('import targets', () => {
  it("should offer the object's writable fields, address parts and the related company's fields, never formulas or one-to-many lists", () => {
    const targets = targetsOf(person, [person, company], names);
    const values = targets.map((target) => target.value);
    expect(values).toContain('email');
    expect(values).toContain('company');
    expect(values).toContain('address.city');
    expect(values).not.toContain('address');
    expect(values).not.toContain('fullName');
    expect(values).toEqual(expect.arrayContaining(['company.name', 'company.domain', 'company.industry']));
    // Nested relations and composites of the related object are not offered.
    expect(values).not.toContain('company.people');
    expect(values).not.toContain('company.address');
    const domain = targets.find((target) => target.value === 'company.domain')!;
    expect(domain.label).toBe('Company › Domain');
    expect(domain.group).toBe('Company');
    expect(targets.find((target) => target.value === 'address.city')!.label).toBe('Address › CITY');
    // The object's own fields come before the related ones.
    expect(values.indexOf('externalId')).toBeLessThan(values.indexOf('company.name'));
  });

  it('should match records only on unique fields, and import only into objects the role may import into and create in', () => {
    expect(upsertFieldsOf(person).map((field) => field.name)).toEqual(['email', 'externalId']);
    const readOnly = { ...company, permissions: { create: false, read: true, update: false, delete: false, export: true, import: true } };
    const noImport = { ...company, name: 'deal', permissions: { create: true, read: true, update: true, delete: true, export: true, import: false } };
    expect(importableObjects([person, readOnly, noImport, { ...company, name: 'legacy' }]).map((object) => object.name)).toEqual(['person', 'legacy']);
  });
});

describe('mapping validation', () => {
  it('should flag a target chosen for two columns, and not skipped columns', () => {
    expect(duplicateTargets({ 'E-mail': 'email', Email: 'email', Name: 'lastName', Notes: null, Other: null })).toEqual(new Set(['email']));
    expect(duplicateTargets({ A: 'company.name', B: 'company.domain' })).toEqual(new Set());
  });

  it('should list required fields no column fills; a related field fills its relation, a default value fills itself', () => {
    expect(missingRequiredFields(person, { First: 'firstName' }).map((field) => field.name)).toEqual(['lastName']);
    expect(missingRequiredFields(person, { Last: 'lastName' })).toEqual([]);
    const withRequiredCompany: ObjectDefinition = { ...person, fields: person.fields.map((field) => (field.name === 'company' ? { ...field, required: true } : field)) };
    expect(missingRequiredFields(withRequiredCompany, { Last: 'lastName', Account: 'company.name' })).toEqual([]);
    expect(missingRequiredFields(withRequiredCompany, { Last: 'lastName' }).map((field) => field.name)).toEqual(['company']);
  });

  it('should block the next step on duplicates, missing required fields, nothing mapped or an unmapped match field', () => {
    const ok = mappingProblems(person, { Last: 'lastName', Mail: 'email' }, 'email');
    expect(hasBlockingProblems(ok)).toBe(false);
    expect(hasBlockingProblems(mappingProblems(person, { Last: 'lastName', A: 'email', B: 'email' }, null))).toBe(true);
    expect(hasBlockingProblems(mappingProblems(person, { First: 'firstName' }, null))).toBe(true);
    const none = mappingProblems({ ...person, fields: person.fields.filter((field) => !field.required) }, { A: null }, null);
    expect(none.isEmpty).toBe(true);
    expect(hasBlockingProblems(none)).toBe(true);
    const unmapped = mappingProblems(person, { Last: 'lastName' }, 'email');
    expect(unmapped.upsertUnmapped).toBe(true);
    expect(hasBlockingProblems(unmapped)).toBe(true);
  });

  it("should send every column of the file, skipped ones as null, and nothing the file lacks", () => {
    expect(mappingForFile(['Email', 'Notes'], { Email: 'email', Gone: 'lastName' })).toEqual({ Email: 'email', Notes: null });
  });

  it('should offer a reference as a column target (object:id cells), and skip a suggestion the wizard does not offer', () => {
    const comment: ObjectDefinition = {
      name: 'comment',
      labelSingular: 'Comment',
      labelPlural: 'Comments',
      fields: [
        { name: 'body', type: 'text', label: 'Body', position: 1 },
        { name: 'related', type: 'reference', label: 'Related to', required: true, position: 2 },
      ],
    };
    const values = targetsOf(comment, [comment], names).map((target) => target.value);

    expect(values).toEqual(['body', 'related']);
    expect(mappingForFile(['Body', 'Related to (record)', 'Old'], { Body: 'body', 'Related to (record)': 'related', Old: 'gone' }, new Set(values))).toEqual({ Body: 'body', 'Related to (record)': 'related', Old: null });
    expect(mappingProblems(comment, { Body: 'body' }, null).missingRequired.map((field) => field.name)).toEqual(['related']);
  });
});

describe('saved mappings', () => {
  const valid = new Set(['email', 'firstName', 'lastName', 'company.name']);

  it('should apply a saved mapping by header, exactly or ignoring case, spaces and underscores, keeping the rest', () => {
    const headers = ['E-mail', 'first_name', 'Last Name', 'Account Name', 'Notes'];
    const current = { 'E-mail': null, first_name: null, 'Last Name': 'lastName', 'Account Name': null, Notes: null };
    const saved = { 'e mail': 'email', 'First Name': 'firstName', 'Account Name': 'company.name', Unused: 'lastName' };
    expect(applySavedMapping(headers, current, saved, valid)).toEqual({ 'E-mail': 'email', first_name: 'firstName', 'Last Name': 'lastName', 'Account Name': 'company.name', Notes: null });
  });

  it('should drop targets the object no longer has, and keep a saved "do not import"', () => {
    expect(applySavedMapping(['Score', 'Email'], { Score: null, Email: 'email' }, { Score: 'leadScore', Email: null }, valid)).toEqual({ Score: null, Email: null });
  });

  it("should rank saved mappings by how many of the file's columns they know", () => {
    expect(savedMappingFit(['Email', 'First Name', 'City'], { email: 'email', first_name: 'firstName', Phone: 'phone' })).toBe(2);
    expect(savedMappingFit(['Email'], {})).toBe(0);
  });
});

describe('preview', () => {
  it('should show each mapped target once, in the order of the columns', () => {
    expect(previewColumnsOf(['Email', 'Notes', 'Company', 'Mail 2'], { Email: 'email', Notes: null, Company: 'company.name', 'Mail 2': 'email' })).toEqual([
      { target: 'email', column: 'Email' },
      { target: 'company.name', column: 'Company' },
    ]);
  });

  it('should put each problem on its cell: by field, by the column mapped to it, else beside the row', () => {
    const row = {
      rowNumber: 3,
      cells: [],
      values: { email: 'nope' },
      errors: [
        { column: 'Email', field: 'email', code: 'invalidEmail', message: 'Not an email.' },
        { column: 'Company', field: 'company', code: 'relationNotFound', message: 'No such company.' },
        { column: null, field: 'record', code: 'rule', message: 'A lead needs an email.' },
        { column: null, field: 'address.city', code: 'tooLong', message: 'Too long.' },
      ],
    };
    const targets = new Set(['email', 'company.name', 'address']);
    const { cells, rest } = errorsByCell(row, { Email: 'email', Company: 'company.name' }, targets);
    expect(cells.get('email')!.map((error) => error.code)).toEqual(['invalidEmail']);
    expect(cells.get('company.name')!.map((error) => error.code)).toEqual(['relationNotFound']);
    expect(cells.get('address')!.map((error) => error.code)).toEqual(['tooLong']);
    expect(rest.map((error) => error.code)).toEqual(['rule']);
  });

  it('should read a value by its target or inside its field', () => {
    const row = { rowNumber: 2, cells: [], values: { email: 'a@b.test', 'company.name': 'Acme', address: { city: 'Lyon' } }, errors: [] };
    expect(previewValueAt(row, 'email')).toBe('a@b.test');
    expect(previewValueAt(row, 'company.name')).toBe('Acme');
    expect(previewValueAt(row, 'address.city')).toBe('Lyon');
    expect(previewValueAt(row, 'phone')).toBeUndefined();
  });

  it('should send only the first megabyte of a large text file to the preview, and a workbook whole', () => {
    const big = Object.assign(new Blob([new Uint8Array(PREVIEW_BYTES + 10)]), { name: 'big.csv' });
    expect(previewPartOf(big).size).toBe(PREVIEW_BYTES);
    const workbook = Object.assign(new Blob([new Uint8Array(PREVIEW_BYTES + 10)]), { name: 'Big.XLSX' });
    expect(previewPartOf(workbook).size).toBe(PREVIEW_BYTES + 10);
    expect(isAcceptedFile('contacts.TSV')).toBe(true);
    expect(isAcceptedFile('contacts.numbers')).toBe(false);
  });

  it('should sample a column with its first distinct non-empty values', () => {
    const rows: Record<string, string>[] = [{ Email: ' ada@x.test ' }, { Email: '' }, { Email: 'ada@x.test' }, { Email: 'grace@x.test' }, {}, { Email: 'alan@x.test' }, { Email: 'kurt@x.test' }];
    expect(sampleValuesOf(rows, 'Email')).toEqual(['ada@x.test', 'grace@x.test', 'alan@x.test']);
    expect(sampleValuesOf(rows, 'Notes')).toEqual([]);
  });
});

describe('runs', () => {
  it('should show progress from the processed rows, and full when completed', () => {
    expect(progressPercent({ status: 'running', processed: 25, totalRows: 200 })).toBe(13);
    expect(progressPercent({ status: 'running', processed: 25, totalRows: null })).toBeNull();
    expect(progressPercent({ status: 'completed', processed: 0, totalRows: null })).toBe(100);
  });

  it('should offer undo only for a finished real import that wrote something and was not undone', () => {
    expect(canUndo(run())).toBe(true);
    expect(canUndo(run({ dryRun: true }))).toBe(false);
    expect(canUndo(run({ status: 'running' }))).toBe(false);
    expect(canUndo(run({ created: 0, updated: 0 }))).toBe(false);
    expect(canUndo(run({ undo: { status: 'completed', removed: 2, restored: 0, conflicts: 0, finishedAt: null } }))).toBe(false);
  });
});
