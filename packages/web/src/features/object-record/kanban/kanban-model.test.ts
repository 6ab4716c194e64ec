import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../../api/types.ts';
import { hiddenColumnsKey, parseHiddenColumns } from '../table/table-columns.ts';
import { cardFieldsKey, parseCardFields, resolveViewMode } from '../views/view-mode.ts';
import {
  activityBadgeOf,
  activityBadgesOf,
  buildColumns,
  cardFieldOptionsOf,
  cardFieldsOf,
  defaultCardFieldsOf,
  groupFieldsOf,
  moveCardField,
  NO_VALUE,
  openTasksQuery,
  sumFieldOf,
  taskBadgeRequestsOf,
  toggleCardField,
  totalsByColumn,
  valueOfColumn,
} from './kanban-model.ts';

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

const pipeline: ObjectDefinition = {
  ...opportunity,
  fields: [
    ...opportunity.fields,
    { name: 'notes', type: 'richText', label: 'Notes', position: 5 },
    { name: 'closeDate', type: 'date', label: 'Close date', position: 6 },
    { name: 'company', type: 'relation', label: 'Company', position: 7, options: { target: 'company', kind: 'manyToOne' } },
    { name: 'contacts', type: 'relation', label: 'Contacts', position: 8, options: { target: 'person', kind: 'oneToMany' } },
    { name: 'owner', type: 'owner', label: 'Owner', position: 9 },
  ],
};

describe('card fields', () => {
  it('should default to the amount, the close date and the company, never the title or the board\'s field', () => {
    expect(defaultCardFieldsOf(pipeline, 'stage')).toEqual(['amount', 'closeDate', 'company']);
    // Without amount, date or relation: the owner, then the table's first fields.
    const plain = { ...pipeline, fields: pipeline.fields.filter((field) => !['amount', 'closeDate', 'company'].includes(field.name)) };
    expect(defaultCardFieldsOf(plain, 'stage')).toEqual(['probability', 'owner', 'priority']);
    expect(defaultCardFieldsOf(plain, 'priority')).toEqual(['probability', 'owner', 'stage']);
    // A record a card is about (a task's "Related to") comes before its typed relations.
    const tasks = { ...pipeline, fields: [...pipeline.fields, { name: 'related', type: 'reference' as const, label: 'Related to', position: 99 }] };
    expect(defaultCardFieldsOf(tasks, 'stage')).toEqual(['amount', 'closeDate', 'related']);
    expect(cardFieldOptionsOf(pipeline).map((field) => field.name)).toEqual(['priority', 'probability', 'amount', 'stage', 'closeDate', 'company', 'owner']);
  });

  it('should show the chosen fields in their order, leave out those the caller cannot see, and show none when none are chosen', () => {
    expect(cardFieldsOf(pipeline, ['owner', 'stage', 'amount'], 'stage').map((field) => field.name)).toEqual(['owner', 'stage', 'amount']);
    expect(cardFieldsOf(pipeline, ['secret', 'notes', 'contacts', 'name', 'closeDate'], 'stage').map((field) => field.name)).toEqual(['closeDate']);
    expect(cardFieldsOf(pipeline, [], 'stage')).toEqual([]);
    expect(cardFieldsOf(pipeline, null, 'stage').map((field) => field.name)).toEqual(['amount', 'closeDate', 'company']);
  });

  it('should add a field at the end, take one out, and move one up or down within bounds', () => {
    expect(toggleCardField(['amount', 'closeDate'], 'owner', true)).toEqual(['amount', 'closeDate', 'owner']);
    expect(toggleCardField(['amount', 'closeDate'], 'amount', false)).toEqual(['closeDate']);
    expect(toggleCardField(['amount'], 'amount', true)).toEqual(['amount']);
    expect(moveCardField(['amount', 'closeDate', 'owner'], 'owner', -1)).toEqual(['amount', 'owner', 'closeDate']);
    expect(moveCardField(['amount', 'closeDate', 'owner'], 'amount', 1)).toEqual(['closeDate', 'amount', 'owner']);
    expect(moveCardField(['amount', 'closeDate'], 'amount', -1)).toEqual(['amount', 'closeDate']);
    expect(moveCardField(['amount', 'closeDate'], 'closeDate', 1)).toEqual(['amount', 'closeDate']);
    expect(moveCardField(['amount'], 'ghost', 1)).toEqual(['amount']);
  });
});

const task: ObjectDefinition = {
  name: 'task',
  labelSingular: 'Task',
  labelPlural: 'Tasks',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title' },
    { name: 'dueAt', type: 'datetime', label: 'Due' },
    { name: 'status', type: 'select', label: 'Status', options: { choices: [{ value: 'todo', label: 'To do' }, { value: 'done', label: 'Done' }] } },
    { name: 'opportunity', type: 'relation', label: 'Opportunity', options: { target: 'opportunity', kind: 'manyToOne' } },
  ],
};

describe('activity badges', () => {
  const now = new Date(2026, 11, 2, 10, 0).getTime();
  const at = (days: number, hours = 10) => new Date(2026, 11, 2 + days, hours, 0).toISOString();

  it('should make an overdue badge once the due time is past, an upcoming one within 7 days, and none later or without a date', () => {
    expect(activityBadgeOf(at(-3), now)).toEqual({ kind: 'overdue', due: at(-3), days: -3 });
    expect(activityBadgeOf(at(0, 9), now)).toEqual({ kind: 'overdue', due: at(0, 9), days: 0 });
    expect(activityBadgeOf(at(0, 18), now)).toEqual({ kind: 'upcoming', due: at(0, 18), days: 0 });
    expect(activityBadgeOf(at(1, 8), now)).toMatchObject({ kind: 'upcoming', days: 1 });
    expect(activityBadgeOf(at(7, 23), now)).toMatchObject({ kind: 'upcoming', days: 7 });
    expect(activityBadgeOf(at(8), now)).toBeUndefined();
    expect(activityBadgeOf(null, now)).toBeUndefined();
    expect(activityBadgeOf('not a date', now)).toBeUndefined();
  });

  it('should ask once for the earliest due time of the open tasks of the cards, grouped by card', () => {
    expect(openTasksQuery(task, 'opportunity', ['o1', 'o2'])).toEqual({
      filter: { and: [{ field: 'opportunity', op: 'in', value: ['o1', 'o2'] }, { field: 'dueAt', op: 'isNotEmpty' }, { field: 'status', op: 'neq', value: 'done' }] },
      groupBy: ['opportunity'],
      metrics: [{ op: 'min', field: 'dueAt', alias: 'nextDue' }],
      limit: 2,
    });
    // A due time hidden from the caller: no badges to ask for.
    expect(openTasksQuery({ ...task, fields: task.fields.filter((field) => field.name !== 'dueAt') }, 'opportunity', ['o1'])).toBeUndefined();
  });

  it('should ask nothing of a caller who cannot read tasks, for an object tasks do not link to, or without cards', () => {
    expect(taskBadgeRequestsOf([opportunity, task], 'opportunity', ['o1'])?.link).toBe('opportunity');
    expect(taskBadgeRequestsOf([opportunity], 'opportunity', ['o1'])).toBeUndefined();
    expect(taskBadgeRequestsOf([opportunity, { ...task, permissions: { create: false, read: false, update: false, delete: false, export: false, import: false } }], 'opportunity', ['o1'])).toBeUndefined();
    expect(taskBadgeRequestsOf([opportunity, task], 'company', ['c1'])).toBeUndefined();
    expect(taskBadgeRequestsOf([opportunity, task], 'opportunity', [])).toBeUndefined();
    // The API takes 1,000 values in a list: 2,500 cards are three requests.
    const ids = Array.from({ length: 2500 }, (_, index) => `o${index}`);
    expect(taskBadgeRequestsOf([opportunity, task], 'opportunity', ids)?.queries.map((query) => query.limit)).toEqual([1000, 1000, 500]);
  });

  it('should read the aggregate rows as badges by record, leaving out records with nothing due soon', () => {
    const badges = activityBadgesOf([{ opportunity: 'o1', nextDue: at(-1) }, { opportunity: 'o2', nextDue: at(2) }, { opportunity: 'o3', nextDue: at(30) }, { opportunity: null, nextDue: at(-5) }], 'opportunity', now);
    expect([...badges.keys()]).toEqual(['o1', 'o2']);
    expect(badges.get('o1')?.kind).toBe('overdue');
    expect(badges.get('o2')).toEqual({ kind: 'upcoming', due: at(2), days: 2 });
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

  it('should read the remembered card fields, the default for anything unreadable', () => {
    expect(cardFieldsKey('opportunity')).not.toBe(cardFieldsKey('company'));
    expect(parseCardFields('["closeDate","amount"]')).toEqual(['closeDate', 'amount']);
    expect(parseCardFields('[]')).toEqual([]);
    expect(parseCardFields('null')).toBeNull();
    expect(parseCardFields(null)).toBeNull();
    expect(parseCardFields('{not json')).toBeNull();
    expect(parseCardFields('["amount",3]')).toEqual(['amount']);
  });
});
