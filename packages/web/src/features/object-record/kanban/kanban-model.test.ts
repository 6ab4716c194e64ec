import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../../api/types.ts';
import { hiddenColumnsKey, parseHiddenColumns } from '../table/table-columns.ts';
import { resolveViewMode } from '../views/view-mode.ts';
import { buildColumns, groupFieldsOf, NO_VALUE, sumFieldOf, totalsByColumn, valueOfColumn } from './kanban-model.ts';

const opportunity: ObjectDefinition = {
  name: 'opportunity',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  labelField: 'name',
  isStandard: true,
  fields: [
    { name: 'name', type: 'text', label: 'Name', position: 0 },
    { name: 'priority', type: 'select', label: 'Priority', position: 1, options: { choices: [{ value: 'low', label: 'Low' }, { value: 'high', label: 'High' }] } },
    { name: 'probability', type: 'number', label: 'Probability', position: 2 },
    { name: 'amount', type: 'currency', label: 'Amount', position: 3 },
    {
      name: 'stage',
      type: 'select',
      label: 'Stage',
      required: true,
      position: 4,
      options: { choices: [{ value: 'qualification', label: 'Qualification', color: 'gray' }, { value: 'proposal', label: 'Proposal', color: 'violet' }, { value: 'won', label: 'Won', color: 'green' }] },
    },
  ],
};
const stage = opportunity.fields.find((field) => field.name === 'stage')!;
const priority = opportunity.fields.find((field) => field.name === 'priority')!;

let n = 0;
const record = (values: Record<string, unknown>): ApiRecord => ({ id: `r${++n}`, version: 1, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values });

describe('kanban board model', () => {
  it('should offer the select fields with `stage` first, and sum `amount` rather than another number', () => {
    expect(groupFieldsOf(opportunity).map((field) => field.name)).toEqual(['stage', 'priority']);
    expect(sumFieldOf(opportunity)?.name).toBe('amount');
    expect(groupFieldsOf({ ...opportunity, fields: opportunity.fields.filter((field) => field.type !== 'select') })).toEqual([]);
    expect(sumFieldOf({ ...opportunity, fields: opportunity.fields.filter((field) => field.name !== 'amount') })?.name).toBe('probability');
  });

  it('should put records in columns in choice order, keeping their order, with unknown or empty values in a last column', () => {
    const a = record({ stage: 'won' });
    const b = record({ stage: 'qualification' });
    const c = record({ stage: 'won' });
    const d = record({ stage: 'retired-choice' });
    const columns = buildColumns(stage, [a, b, c, d]);
    expect(columns.map((column) => column.key)).toEqual(['qualification', 'proposal', 'won', NO_VALUE]);
    expect(columns.map((column) => column.records.map((item) => item.id))).toEqual([[b.id], [], [a.id, c.id], [d.id]]);
    expect(columns[2]!.choice?.color).toBe('green');
  });

  it('should show the "no value" column of a required field only when a record needs it, and always for an optional field', () => {
    expect(buildColumns(stage, [record({ stage: 'won' })]).map((column) => column.key)).toEqual(['qualification', 'proposal', 'won']);
    expect(buildColumns(priority, []).map((column) => column.key)).toEqual(['low', 'high', NO_VALUE]);
  });

  it('should place a record where an unconfirmed move put it, and back when the move is dropped', () => {
    const a = record({ stage: 'qualification' });
    const moved = buildColumns(stage, [a], new Map([[a.id, 'proposal']]));
    expect(moved.find((column) => column.key === 'proposal')!.records).toEqual([a]);
    expect(moved.find((column) => column.key === 'qualification')!.records).toEqual([]);
    expect(buildColumns(priority, [record({ priority: 'low' })], new Map([['r-other', 'high']])).find((column) => column.key === 'low')!.records).toHaveLength(1);
    expect(valueOfColumn(NO_VALUE)).toBeNull();
    expect(valueOfColumn('won')).toBe('won');
  });

  it('should read counts and sums of the aggregate rows by column, empty groups in the "no value" column', () => {
    const totals = totalsByColumn(
      [
        { stage: 'won', count: 3, sum_amount: 1500.5 },
        { stage: 'proposal', count: 2, sum_amount: null },
        { stage: null, count: 1, sum_amount: '20' },
      ],
      'stage',
      'amount',
    );
    expect(totals.get('won')).toEqual({ count: 3, sum: 1500.5 });
    expect(totals.get('proposal')).toEqual({ count: 2, sum: null });
    expect(totals.get(NO_VALUE)).toEqual({ count: 1, sum: 20 });
    expect(totalsByColumn([{ stage: 'won', count: 4 }], 'stage', undefined).get('won')).toEqual({ count: 4, sum: null });
  });
});

describe('remembered view settings', () => {
  it('should use the stored kanban view only for objects that can have a board', () => {
    expect(resolveViewMode(opportunity, 'kanban')).toBe('kanban');
    expect(resolveViewMode(opportunity, null)).toBe('table');
    expect(resolveViewMode(opportunity, 'something')).toBe('table');
    expect(resolveViewMode({ ...opportunity, fields: [opportunity.fields[0]!] }, 'kanban')).toBe('table');
  });

  it('should read the hidden columns of an object, ignoring anything unreadable', () => {
    expect(hiddenColumnsKey('person')).not.toBe(hiddenColumnsKey('company'));
    expect(parseHiddenColumns('["email","phone"]')).toEqual({ email: false, phone: false });
    expect(parseHiddenColumns(null)).toEqual({});
    expect(parseHiddenColumns('{not json')).toEqual({});
    expect(parseHiddenColumns('{"email":true}')).toEqual({});
    expect(parseHiddenColumns('["email",3]')).toEqual({ email: false });
  });
});
