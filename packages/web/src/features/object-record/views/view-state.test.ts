import type { ObjectDefinition, SavedView } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { isViewChanged, stateOfView, viewInputOf } from './view-state.ts';

const opportunity: ObjectDefinition = {
  name: 'opportunity',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', position: 0 },
    { name: 'amount', type: 'currency', label: 'Amount', position: 1 },
    { name: 'stage', type: 'select', label: 'Stage', options: { choices: [{ value: 'won', label: 'Won' }, { value: 'lost', label: 'Lost' }] }, position: 2 },
    { name: 'closeDate', type: 'date', label: 'Close date', position: 3 },
  ],
};

const saved: SavedView = {
  id: 'a1',
  object: 'opportunity',
  name: 'Big or won this quarter',
  type: 'table',
  visibility: 'shared',
  ownerId: 'u1',
  filter: {
    and: [
      { field: 'closeDate', op: 'during', value: 'thisQuarter' },
      { or: [{ field: 'stage', op: 'in', value: ['won', 'lost'] }, { field: 'amount', op: 'between', value: [1000, 5000] }] },
    ],
  },
  sort: ['-amount'],
  columns: [{ field: 'name' }, { field: 'amount' }, { field: 'stage', hidden: true }, { field: 'closeDate' }],
  groupBy: 'stage',
  kanbanField: null,
  cardFields: null,
  calendar: null,
  position: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('saved view state', () => {
  it('should turn a saved nested filter into builder rules and back into the same filter', () => {
    const state = stateOfView(saved);

    expect(state.rules).toEqual([
      { field: 'closeDate', op: 'during', value: 'thisQuarter' },
      { match: 'or', items: [{ field: 'stage', op: 'in', value: 'won, lost' }, { field: 'amount', op: 'between', value: '1000', value2: '5000' }] },
    ]);
    expect(state).toMatchObject({ match: 'and', sort: '-amount', mode: 'table', groupBy: 'stage', hiddenColumns: ['stage'] });
    const input = viewInputOf(opportunity, state, ['name', 'amount', 'stage', 'closeDate']);
    expect(input.filter).toEqual(saved.filter);
    expect(input.columns).toEqual(saved.columns);
    expect(isViewChanged(saved, input)).toBe(false);
  });

  it('should not see a change when the saved filter comes back with its keys in another order', () => {
    const state = stateOfView(saved);
    const reordered = { ...saved, filter: { and: [{ op: 'during', field: 'closeDate', value: 'thisQuarter' }, { or: [{ value: ['won', 'lost'], op: 'in', field: 'stage' }, { op: 'between', value: [1000, 5000], field: 'amount' }] }] } } as SavedView;
    expect(isViewChanged(reordered, viewInputOf(opportunity, state, ['name', 'amount', 'stage', 'closeDate']))).toBe(false);
  });

  it('should see a change of filter, sort, grouping or hidden columns', () => {
    const state = stateOfView(saved);
    const order = ['name', 'amount', 'stage', 'closeDate'];
    expect(isViewChanged(saved, viewInputOf(opportunity, { ...state, sort: 'name' }, order))).toBe(true);
    expect(isViewChanged(saved, viewInputOf(opportunity, { ...state, groupBy: null }, order))).toBe(true);
    expect(isViewChanged(saved, viewInputOf(opportunity, { ...state, hiddenColumns: [] }, order))).toBe(true);
    expect(isViewChanged(saved, viewInputOf(opportunity, { ...state, match: 'or' }, order))).toBe(true);
    expect(isViewChanged(saved, viewInputOf(opportunity, { ...state, rules: state.rules.slice(1) }, order))).toBe(true);
  });

  it('should save a board with its field and a table without one', () => {
    const state = { ...stateOfView(saved), mode: 'kanban' as const, kanbanField: 'stage' };
    expect(viewInputOf(opportunity, state, ['name']).kanbanField).toBe('stage');
    expect(viewInputOf(opportunity, { ...state, mode: 'table' }, ['name']).kanbanField).toBeNull();
  });

  it('should save the fields of a board\'s cards, and see a change of their choice or order', () => {
    const board: SavedView = { ...saved, type: 'kanban', kanbanField: 'stage', cardFields: ['closeDate', 'amount'] };
    const state = stateOfView(board);
    const order = ['name', 'amount', 'stage', 'closeDate'];
    expect(state.cardFields).toEqual(['closeDate', 'amount']);
    expect(viewInputOf(opportunity, state, order).cardFields).toEqual(['closeDate', 'amount']);
    expect(isViewChanged(board, viewInputOf(opportunity, state, order))).toBe(false);
    expect(isViewChanged(board, viewInputOf(opportunity, { ...state, cardFields: ['amount', 'closeDate'] }, order))).toBe(true);
    expect(isViewChanged(board, viewInputOf(opportunity, { ...state, cardFields: null }, order))).toBe(true);
    // A table keeps no card fields; a board without a choice shows the default.
    expect(viewInputOf(opportunity, { ...state, mode: 'table' }, order).cardFields).toBeNull();
    expect(isViewChanged({ ...board, cardFields: null }, viewInputOf(opportunity, { ...state, cardFields: undefined }, order))).toBe(false);
  });

  it('should save column widths and order, and see a change of either', () => {
    const withLayout: SavedView = { ...saved, columns: [{ field: 'amount', width: 300 }, { field: 'name' }, { field: 'stage', hidden: true }, { field: 'closeDate' }] };
    const state = stateOfView(withLayout);
    expect(state.columnWidths).toEqual({ amount: 300 });
    const order = ['amount', 'name', 'stage', 'closeDate'];
    const input = viewInputOf(opportunity, state, order);
    expect(input.columns).toEqual(withLayout.columns);
    expect(isViewChanged(withLayout, input, ['name', 'amount', 'stage', 'closeDate'])).toBe(false);
    expect(isViewChanged(withLayout, viewInputOf(opportunity, { ...state, columnWidths: { amount: 320 } }, order))).toBe(true);
    expect(isViewChanged(withLayout, viewInputOf(opportunity, state, ['name', 'amount', 'stage', 'closeDate']))).toBe(true);
  });

  it('should see no change in the default order for a view that lists no columns, and a change once one moves', () => {
    const bare: SavedView = { ...saved, columns: [] };
    const defaults = ['name', 'amount', 'stage', 'closeDate'];
    const state = { ...stateOfView(bare), hiddenColumns: [] };
    expect(isViewChanged(bare, viewInputOf(opportunity, state, defaults), defaults)).toBe(false);
    expect(isViewChanged(bare, viewInputOf(opportunity, state, ['amount', 'name', 'stage', 'closeDate']), defaults)).toBe(true);
  });

  it('should save a calendar with its fields and mode, see a change of either, and keep no settings for a table', () => {
    const calendar: SavedView = { ...saved, type: 'calendar', calendar: { startField: 'closeDate', colorField: 'stage', mode: 'month' } };
    const state = stateOfView(calendar);
    const order = ['name', 'amount', 'stage', 'closeDate'];
    expect(state.calendar).toEqual(calendar.calendar);
    expect(viewInputOf(opportunity, state, order)).toMatchObject({ type: 'calendar', calendar: calendar.calendar });
    // An end or duration absent or null is the same calendar.
    expect(isViewChanged(calendar, viewInputOf(opportunity, { ...state, calendar: { ...calendar.calendar!, endField: null, durationField: null } }, order))).toBe(false);
    expect(isViewChanged(calendar, viewInputOf(opportunity, { ...state, calendar: { ...calendar.calendar!, mode: 'agenda' } }, order))).toBe(true);
    expect(isViewChanged(calendar, viewInputOf(opportunity, { ...state, calendar: { ...calendar.calendar!, colorField: null } }, order))).toBe(true);
    expect(viewInputOf(opportunity, { ...state, mode: 'table' }, order).calendar).toBeNull();
  });
});
