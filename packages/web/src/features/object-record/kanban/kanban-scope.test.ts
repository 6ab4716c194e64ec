import type { ObjectDefinition, SavedView } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import type { ApiRecord } from '../../../api/types.ts';
import { resolveViewMode } from '../views/view-mode.ts';
import { stateOfView, viewInputOf, type PageState } from '../views/view-state.ts';
import {
  boardLookupsOf,
  boardScopeOf,
  buildColumns,
  byPosition,
  columnColourOf,
  columnOutcomeOf,
  columnProbabilityOf,
  daysInColumnOf,
  groupFieldsOf,
  NO_VALUE,
  relatedIdOf,
  requiredByStageOf,
  resolveScope,
  scopeConditionOf,
  scopedColumns,
  scopeOptionsOf,
  scopeOptionsQuery,
  splitScope,
  totalsByColumn,
  withCondition,
} from './kanban-model.ts';

const pipeline: ObjectDefinition = {
  name: 'pipeline',
  labelSingular: 'Pipeline',
  labelPlural: 'Pipelines',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name' },
    { name: 'position', type: 'number', label: 'Position' },
    { name: 'isActive', type: 'boolean', label: 'Active' },
  ],
};
const pipelineStage: ObjectDefinition = {
  name: 'pipelineStage',
  labelSingular: 'Pipeline stage',
  labelPlural: 'Pipeline stages',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name' },
    { name: 'pipeline', type: 'relation', label: 'Pipeline', options: { target: 'pipeline', kind: 'manyToOne' } },
    { name: 'position', type: 'number', label: 'Position' },
    { name: 'probability', type: 'percent', label: 'Probability' },
    { name: 'kind', type: 'select', label: 'Kind', options: { choices: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }, { value: 'lost', label: 'Lost' }] } },
  ],
};
const company: ObjectDefinition = { name: 'company', labelSingular: 'Company', labelPlural: 'Companies', labelField: 'name', fields: [{ name: 'name', type: 'text', label: 'Name' }] };
const opportunity: ObjectDefinition = {
  name: 'opportunity',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', position: 0 },
    { name: 'amount', type: 'currency', label: 'Amount', position: 1 },
    { name: 'pipeline', type: 'relation', label: 'Pipeline', position: 2, options: { target: 'pipeline', kind: 'manyToOne' } },
    { name: 'stage', type: 'relation', label: 'Stage', position: 3, options: { target: 'pipelineStage', kind: 'manyToOne' } },
    { name: 'closeDate', type: 'date', label: 'Close date', position: 4 },
    { name: 'company', type: 'relation', label: 'Company', position: 5, options: { target: 'company', kind: 'manyToOne' } },
    { name: 'forecastCategory', type: 'select', label: 'Forecast category', position: 6, options: { choices: [{ value: 'pipeline', label: 'Pipeline' }, { value: 'closed', label: 'Closed' }] } },
    { name: 'lossReason', type: 'select', label: 'Loss reason', position: 7, options: { choices: [{ value: 'price', label: 'Price' }] } },
    { name: 'stageEnteredAt', type: 'datetime', label: 'In stage since', position: 8 },
  ],
};
const objects = [pipeline, pipelineStage, company, opportunity];
const stage = opportunity.fields.find((field) => field.name === 'stage')!;

let n = 0;
const record = (values: Record<string, unknown>): ApiRecord => ({ id: `r${++n}`, version: 1, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values });

const sales = record({ id: 'p-sales', name: 'New business', position: 1, isActive: true });
const renewals = record({ id: 'p-renewals', name: 'Renewals', position: 2, isActive: true });
const retired = record({ id: 'p-retired', name: 'Old', position: 0, isActive: false });
const stages = [
  record({ id: 's-won', name: 'Won', pipeline: 'p-sales', position: 3, probability: 100, kind: 'won' }),
  record({ id: 's-qual', name: 'Qualification', pipeline: 'p-sales', position: 1, probability: 10, kind: 'open' }),
  record({ id: 's-due', name: 'Due', pipeline: 'p-renewals', position: 1, probability: 60, kind: 'open' }),
  record({ id: 's-prop', name: 'Proposal', pipeline: 'p-sales', position: 2, probability: 50, kind: 'open' }),
  record({ id: 's-lost', name: 'Lost', pipeline: 'p-sales', position: 4, probability: 0, kind: 'lost' }),
];

describe('a board grouped by a relation', () => {
  it('should offer many-to-one relations to ordered lookups besides selects, `stage` first, and allow a board for them', () => {
    expect(groupFieldsOf(opportunity, objects).map((field) => field.name)).toEqual(['stage', 'pipeline', 'forecastCategory', 'lossReason']);
    // Without the targets' definitions (or a target without `position`), only the selects.
    expect(groupFieldsOf(opportunity).map((field) => field.name)).toEqual(['forecastCategory', 'lossReason']);
    const onlyStage = { ...opportunity, fields: opportunity.fields.filter((field) => field.type !== 'select') };
    expect(resolveViewMode(onlyStage, 'kanban', objects)).toBe('kanban');
    expect(resolveViewMode(onlyStage, 'kanban')).toBe('table');
  });

  it('should make one column per stage in position order, reading ids and included records alike', () => {
    const a = record({ stage: 's-prop' });
    const b = record({ stage: { id: 's-qual', name: 'Qualification' } });
    const c = record({ stage: 's-due' });
    const columns = buildColumns(stage, [a, b, c], new Map(), scopedColumns(stages, boardScopeOf(opportunity, stage, objects), 'p-sales'));
    expect(columns.map((column) => column.key)).toEqual(['s-qual', 's-prop', 's-won', 's-lost', NO_VALUE]);
    expect(columns.map((column) => column.records.map((item) => item.id))).toEqual([[b.id], [a.id], [], [], [c.id]]);
    // No "no value" column for a relation unless a record needs it; a move places the card at once.
    const moved = buildColumns(stage, [a], new Map([[a.id, 's-won']]), stages.slice(0, 2));
    expect(moved.map((column) => [column.key, column.records.length])).toEqual([['s-qual', 0], ['s-won', 1]]);
    expect(relatedIdOf({ id: 'x' })).toBe('x');
    expect(relatedIdOf(null)).toBeNull();
  });

  it('should style won and lost columns and carry the stage probability', () => {
    const columns = buildColumns(stage, [], new Map(), stages);
    const byName = Object.fromEntries(columns.map((column) => [column.target?.name, column]));
    expect(columnOutcomeOf(byName.Won!)).toBe('won');
    expect(columnColourOf(byName.Won!)).toBe('green');
    expect(columnColourOf(byName.Lost!)).toBe('red');
    expect(columnOutcomeOf(byName.Proposal!)).toBeUndefined();
    expect(columnColourOf(byName.Proposal!)).toBe('blue');
    expect(columnProbabilityOf(byName.Proposal!)).toBe(50);
    expect(columnProbabilityOf({ key: 'x', choice: { value: 'x', label: 'X' }, records: [] })).toBeUndefined();
  });

  it('should read the aggregate rows of a relation group by the stage id', () => {
    const totals = totalsByColumn([{ stage: 's-qual', count: 2, sum_amount: 300 }, { stage: null, count: 1, sum_amount: null }], 'stage', 'amount');
    expect(totals.get('s-qual')).toEqual({ count: 2, sum: 300 });
    expect(totals.get(NO_VALUE)).toEqual({ count: 1, sum: null });
  });

  it('should count whole days in the stage from `<field>EnteredAt`', () => {
    const now = Date.parse('2026-12-13T12:00:00Z');
    expect(daysInColumnOf(record({ stageEnteredAt: '2026-12-01T10:00:00Z' }), 'stage', now)).toBe(12);
    expect(daysInColumnOf(record({ stageEnteredAt: '2026-12-13T11:00:00Z' }), 'stage', now)).toBe(0);
    expect(daysInColumnOf(record({}), 'stage', now)).toBeUndefined();
  });

  it('should name the fields a stage refused the move for, in the object\'s order', () => {
    const errors = [
      { field: 'closeDate', code: 'requiredByStage', message: '' },
      { field: 'amount', code: 'requiredByStage', message: '' },
      { field: 'name', code: 'tooLong', message: '' },
    ];
    expect(requiredByStageOf(errors, opportunity).map((field) => field.name)).toEqual(['amount', 'closeDate']);
    expect(requiredByStageOf([{ field: 'stage', code: 'stageNotInPipeline' }], opportunity)).toEqual([]);
  });
});

describe('the board scope', () => {
  it('should scope stages by pipeline when the records point to the pipeline too, and nothing else', () => {
    const scope = boardScopeOf(opportunity, stage, objects)!;
    expect([scope.field.name, scope.columnField.name, scope.object.name]).toEqual(['pipeline', 'pipeline', 'pipeline']);
    expect(boardScopeOf({ ...opportunity, fields: opportunity.fields.filter((field) => field.name !== 'pipeline') }, stage, objects)).toBeUndefined();
    expect(boardScopeOf(opportunity, opportunity.fields.find((field) => field.name === 'forecastCategory')!, objects)).toBeUndefined();
    expect(boardScopeOf(opportunity, stage, [opportunity])).toBeUndefined();
  });

  it('should offer the active pipelines by position, the asked one or else the first, and its stages only', () => {
    const scope = boardScopeOf(opportunity, stage, objects)!;
    expect(scopeOptionsQuery(scope)).toEqual({ filter: { field: 'isActive', op: 'eq', value: true }, sort: ['position'], limit: 200 });
    const options = scopeOptionsOf([renewals, retired, sales]);
    expect(options.map((option) => option.id)).toEqual(['p-sales', 'p-renewals']);
    expect(resolveScope(options, 'p-renewals')).toBe('p-renewals');
    expect(resolveScope(options, 'p-retired')).toBe('p-sales');
    expect(resolveScope(options, null)).toBe('p-sales');
    expect(resolveScope([], null)).toBeUndefined();
    expect(byPosition(scopedColumns(stages, scope, 'p-sales')).map((target) => target.name)).toEqual(['Qualification', 'Proposal', 'Won', 'Lost']);
    expect(scopedColumns(stages, scope, 'p-renewals').map((target) => target.name)).toEqual(['Due']);
    expect(scopedColumns(stages, undefined, undefined)).toHaveLength(5);
    expect(scopeConditionOf(scope, 'p-sales')).toEqual({ field: 'pipeline', op: 'eq', value: 'p-sales' });
  });

  it('should add the scope to a filter and take it out again', () => {
    const cond = { field: 'pipeline', op: 'eq' as const, value: 'p-sales' };
    const owner = { field: 'owner', op: 'eq' as const, value: 'u1' };
    const amount = { field: 'amount', op: 'gte' as const, value: 100 };
    expect(withCondition(undefined, cond)).toEqual(cond);
    expect(withCondition(owner, cond)).toEqual({ and: [owner, cond] });
    expect(withCondition({ and: [owner, amount] }, cond)).toEqual({ and: [owner, amount, cond] });
    expect(withCondition({ or: [owner, amount] }, cond)).toEqual({ and: [{ or: [owner, amount] }, cond] });
    for (const rest of [null, owner, { and: [owner, amount] }, { or: [owner, amount] }]) {
      expect(splitScope(withCondition(rest, cond), 'pipeline')).toEqual({ scope: 'p-sales', rest });
    }
    expect(splitScope({ and: [owner, amount] }, 'pipeline')).toEqual({ scope: null, rest: { and: [owner, amount] } });
    expect(splitScope(cond, undefined)).toEqual({ scope: null, rest: cond });
  });

  it('should save the pipeline in a board view\'s filter and read it back, not as a rule', () => {
    const state: PageState = { rules: [{ field: 'name', op: 'contains', value: 'u1' }], match: 'and', sort: null, mode: 'kanban', kanbanField: 'stage', groupBy: null, hiddenColumns: [], scope: { field: 'pipeline', id: 'p-renewals' } };
    const input = viewInputOf(opportunity, state, ['name']);
    expect(input.filter).toEqual({ and: [{ field: 'name', op: 'contains', value: 'u1' }, { field: 'pipeline', op: 'eq', value: 'p-renewals' }] });
    const view = { id: 'v1', object: 'opportunity', name: 'Renewals', visibility: 'private', columns: [], sort: [], groupBy: null, cardFields: null, ...input, kanbanField: 'stage', type: 'kanban' } as unknown as SavedView;
    const back = stateOfView(view, 'pipeline');
    expect(back.scope).toEqual({ field: 'pipeline', id: 'p-renewals' });
    expect(back.rules).toEqual([{ field: 'name', op: 'contains', value: 'u1' }]);
    // A table view keeps the filter as rules; the scope is only a board's.
    expect(viewInputOf(opportunity, { ...state, mode: 'table' }, ['name']).filter).toEqual({ field: 'name', op: 'contains', value: 'u1' });
  });
});

describe('the board\'s lookups', () => {
  const scope = boardScopeOf(opportunity, stage, objects)!;
  const pending = { isSuccess: false, isError: false, data: undefined };
  const loaded = (data: ApiRecord[]) => ({ isSuccess: true, isError: false, data });
  const failed = { isSuccess: false, isError: true, data: undefined };

  it('should read the list at once, with the lookups, when the URL names the pipeline', () => {
    const early = boardLookupsOf({ isRelation: true, scope, requested: 'p-renewals', targets: pending, options: pending });
    expect(early.isListReady).toBe(true);
    expect(early.listCondition).toEqual({ field: 'pipeline', op: 'eq', value: 'p-renewals' });
    // The board itself waits for its columns.
    expect(early.isReady).toBe(false);
    expect(early.condition).toBeUndefined();
    const done = boardLookupsOf({ isRelation: true, scope, requested: 'p-renewals', targets: loaded(stages), options: loaded([sales, renewals, retired]) });
    expect(done.isReady).toBe(true);
    // The same condition once resolved: the list is not read again.
    expect(done.listCondition).toEqual(early.listCondition);
    expect(done.selectedScope).toBe('p-renewals');
    expect(done.targets.every((target) => target.pipeline === 'p-renewals')).toBe(true);
  });

  it('should wait for the pipelines when the URL names none, then read the first one\'s records', () => {
    const waiting = boardLookupsOf({ isRelation: true, scope, requested: null, targets: loaded(stages), options: pending });
    expect(waiting.isListReady).toBe(false);
    const done = boardLookupsOf({ isRelation: true, scope, requested: null, targets: loaded(stages), options: loaded([sales, renewals, retired]) });
    expect(done.isListReady).toBe(true);
    expect(done.listCondition).toEqual({ field: 'pipeline', op: 'eq', value: 'p-sales' });
  });

  it('should read the list again with the first pipeline when the one named is not offered', () => {
    const done = boardLookupsOf({ isRelation: true, scope, requested: 'p-retired', targets: loaded(stages), options: loaded([sales, renewals, retired]) });
    expect(done.selectedScope).toBe('p-sales');
    expect(done.listCondition).toEqual({ field: 'pipeline', op: 'eq', value: 'p-sales' });
  });

  it('should show every column and record when the pipelines cannot be read', () => {
    const done = boardLookupsOf({ isRelation: true, scope, requested: 'p-renewals', targets: loaded(stages), options: failed });
    expect(done.scope).toBeUndefined();
    expect(done.listCondition).toBeUndefined();
    expect(done.isListReady).toBe(true);
    expect(done.targets).toHaveLength(stages.length);
  });

  it('should need no lookup for a board grouped by a select field', () => {
    const done = boardLookupsOf({ isRelation: false, scope: undefined, requested: null, targets: pending, options: pending });
    expect(done).toMatchObject({ isReady: true, isListReady: true, listCondition: undefined });
  });
});
