import type { FieldDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { boundsOf, cellOfBatchError, cellText, moveFocus, parsePastedValue, parseTsv, planPaste, toTsv } from './cell-range.ts';

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
    expect(parsePastedValue(field('company', 'relation'), 'Acme')).toEqual({ error: 'notPasteable' });
  });

  it('should copy each value as text that pastes back to the same value', () => {
    const nameOf = () => 'Acme';
    expect(cellText(stage, 'won', nameOf)).toBe('Won');
    expect(parsePastedValue(stage, cellText(stage, 'won', nameOf))).toEqual({ value: 'won' });
    expect(cellText(amount, { amount: 2500, currency: 'EUR' }, nameOf)).toBe('2500 EUR');
    expect(parsePastedValue(amount, '2500 EUR')).toEqual({ value: { amount: 2500, currency: 'EUR' } });
    expect(cellText(field('company', 'relation'), { id: 'c1', name: 'Acme' }, nameOf)).toBe('Acme');
    expect(cellText(name, null, nameOf)).toBe('');
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
});
