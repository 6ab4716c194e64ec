import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord, HistoryEntry } from '../../../api/types.ts';
import { sectionsOf } from '../metadata.ts';
import { keyFieldsOf } from './key-fields.ts';
import { rollupFieldsOf, rollupOf, rollupQueryOf } from './rollup-model.ts';
import { activityItem, historyItem, mergeTimeline } from './timeline-model.ts';

const field = (name: string, type: string, options?: Record<string, unknown>) => ({ name, type, label: name, ...(options ? { options } : {}) }) as FieldDefinition;
const objectOf = (name: string, fields: FieldDefinition[], labelField?: string) => ({ name, labelSingular: name, labelPlural: name, fields, ...(labelField ? { labelField } : {}) }) as unknown as ObjectDefinition;

const person = objectOf('person', [
  field('firstName', 'text'), field('lastName', 'text'), field('fullName', 'formula'), field('email', 'email'), field('phone', 'phone'),
  field('jobTitle', 'text'), field('company', 'relation', { target: 'company', kind: 'manyToOne' }), field('address', 'address'), field('owner', 'owner'),
], 'fullName');
const opportunity = objectOf('opportunity', [
  field('name', 'text'), field('amount', 'currency'), field('stage', 'select'), field('probability', 'percent'), field('closeDate', 'date'),
  field('company', 'relation', { target: 'company', kind: 'manyToOne' }), field('contacts', 'relation', { target: 'person', kind: 'manyToMany' }), field('owner', 'owner'),
  field('score', 'number'), field('rating', 'rating'), field('cost', 'currency'),
]);

describe('key fields of a record header', () => {
  it('should pick contacts, the company and the owner of a person, not the parts of the name', () => {
    expect(keyFieldsOf(person, sectionsOf(person.fields)).map((f) => f.name)).toEqual(['email', 'phone', 'company', 'owner']);
  });

  it('should keep a place for the owner after the first key fields of an opportunity', () => {
    expect(keyFieldsOf(opportunity, sectionsOf(opportunity.fields)).map((f) => f.name)).toEqual(['amount', 'stage', 'closeDate', 'owner']);
  });

  it('should follow the layout: a field moved up comes into the header', () => {
    const layout = { sections: [{ title: 'Deal', columns: 2 as const, fields: ['name', 'company', 'owner', 'amount'] }, { title: 'More', columns: 1 as const, fields: ['stage', 'closeDate'] }] };
    expect(keyFieldsOf(opportunity, sectionsOf(opportunity.fields, layout)).map((f) => f.name)).toEqual(['company', 'owner', 'amount', 'stage']);
    expect(keyFieldsOf(opportunity, sectionsOf(opportunity.fields, layout), 2).map((f) => f.name)).toEqual(['company', 'owner']);
  });

  it('should leave out the pipeline of a deal whose stage (a record of one pipeline) says it', () => {
    const deal = objectOf('opportunity', [
      field('name', 'text'), field('amount', 'currency'), field('pipeline', 'relation', { target: 'pipeline', kind: 'manyToOne' }), field('stage', 'relation', { target: 'pipelineStage', kind: 'manyToOne' }),
      field('closeDate', 'date'), field('company', 'relation', { target: 'company', kind: 'manyToOne' }), field('owner', 'owner'),
    ]);
    const stage = objectOf('pipelineStage', [field('name', 'text'), { ...field('pipeline', 'relation', { target: 'pipeline', kind: 'manyToOne' }), required: true }]);
    expect(keyFieldsOf(deal, sectionsOf(deal.fields), undefined, [deal, stage]).map((f) => f.name)).toEqual(['amount', 'stage', 'closeDate', 'owner']);
    // Without the stages' definition, or when a stage's pipeline may be empty, the pipeline stays.
    expect(keyFieldsOf(deal, sectionsOf(deal.fields)).map((f) => f.name)).toEqual(['amount', 'pipeline', 'stage', 'owner']);
    const loose = objectOf('pipelineStage', [field('name', 'text'), field('pipeline', 'relation', { target: 'pipeline', kind: 'manyToOne' })]);
    expect(keyFieldsOf(deal, sectionsOf(deal.fields), undefined, [deal, loose]).map((f) => f.name)).toEqual(['amount', 'pipeline', 'stage', 'owner']);
  });

  it('should show none when no field tells the record apart', () => {
    expect(keyFieldsOf(objectOf('memo', [field('name', 'text'), field('body', 'richText')]), sectionsOf([field('name', 'text')]))).toEqual([]);
  });
});

describe('related list rollups', () => {
  it('should total numbers and amounts, not percentages, ratings or relations', () => {
    expect(rollupFieldsOf(opportunity).map((f) => f.name)).toEqual(['amount', 'score', 'cost']);
  });

  it('should ask for a count and a sum per field, grouped by each currency, on the relation', () => {
    const fields = rollupFieldsOf(opportunity);
    expect(rollupQueryOf(fields, { field: 'company', op: 'eq', value: 'c1' })).toEqual({
      filter: { field: 'company', op: 'eq', value: 'c1' },
      groupBy: ['amount.currency', 'cost.currency'],
      metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }, { op: 'sum', field: 'score' }, { op: 'sum', field: 'cost' }],
    });
  });

  it('should add up the groups per currency, largest first, and leave out fields with no value', () => {
    const fields = rollupFieldsOf(opportunity);
    const rows = [
      { 'amount.currency': 'EUR', 'cost.currency': 'EUR', count: 2, sum_amount: '1500.5', sum_score: 3, sum_cost: null },
      { 'amount.currency': 'USD', 'cost.currency': null, count: '1', sum_amount: 9000, sum_score: null, sum_cost: null },
      { 'amount.currency': 'EUR', 'cost.currency': null, count: 1, sum_amount: 500, sum_score: 4, sum_cost: null },
      { 'amount.currency': null, 'cost.currency': null, count: 3, sum_amount: null, sum_score: null, sum_cost: null },
    ];
    const rollup = rollupOf(rows, fields);
    expect(rollup.count).toBe(7);
    expect(rollup.totals.map((total) => [total.field.name, total.amounts])).toEqual([
      ['amount', [{ currency: 'USD', value: 9000 }, { currency: 'EUR', value: 2000.5 }]],
      ['score', [{ currency: null, value: 7 }]],
    ]);
    expect(rollupOf([], fields)).toEqual({ count: 0, totals: [] });
  });
});

describe('record timeline', () => {
  const change = (id: number, at: string): HistoryEntry => ({ id, changeType: 'updated', field: 'stage', oldValue: 'a', newValue: 'b', actorId: null, occurredAt: at });
  const record = (id: string, at: string) => ({ id, createdAt: at, updatedAt: at, version: 1 }) as ApiRecord;
  const keys = (items: { key: string }[]) => items.map((item) => item.key);

  it('should merge changes, notes and tasks newest first', () => {
    const merged = mergeTimeline([
      { name: 'history', items: [change(2, '2026-03-03T10:00:00Z'), change(1, '2026-03-01T10:00:00Z')].map(historyItem), hasMore: false },
      { name: 'note', items: [activityItem('note', record('n1', '2026-03-02T10:00:00.000Z'))], hasMore: false },
      { name: 'task', items: [activityItem('task', record('t1', '2026-03-04T09:00:00+02:00'))], hasMore: false },
    ]);
    expect(keys(merged.items)).toEqual(['task-t1', 'history-2', 'note-n1', 'history-1']);
    expect(merged.toLoad).toEqual([]);
  });

  it('should hold back what is older than the oldest loaded item of a source with more pages, and name it to load', () => {
    const merged = mergeTimeline([
      { name: 'history', items: [change(9, '2026-03-05T00:00:00Z'), change(8, '2026-03-03T00:00:00Z')].map(historyItem), hasMore: true },
      { name: 'note', items: [activityItem('note', record('n1', '2026-03-04T00:00:00Z')), activityItem('note', record('n0', '2026-03-01T00:00:00Z'))], hasMore: false },
      { name: 'task', items: [activityItem('task', record('t1', '2026-03-02T00:00:00Z'))], hasMore: true },
    ]);
    expect(keys(merged.items)).toEqual(['history-9', 'note-n1', 'history-8']);
    expect(merged.toLoad).toEqual(['history']);
  });

  it('should show nothing older than a source with more pages and none loaded', () => {
    const merged = mergeTimeline([
      { name: 'history', items: [historyItem(change(1, '2026-03-05T00:00:00Z'))], hasMore: false },
      { name: 'note', items: [], hasMore: true },
    ]);
    expect(merged.items).toEqual([]);
    expect(merged.toLoad).toEqual(['note']);
  });
});
