import type { CalendarSettings, ObjectDefinition, SavedView, SavedViewInput, ViewType } from '@rapport/common';
import { splitScope, withCondition } from '../kanban/kanban-model.ts';
import { buildFilter, rulesOfFilter, type FilterItem } from '../table/filter-model.ts';
import { layoutOfColumns, orderColumns } from '../table/table-columns.ts';

/** What the object page shows, as a saved view holds it. */
export interface PageState {
  rules: FilterItem[];
  match: 'and' | 'or';
  /** `name` or `-amount`; the table sorts by one column. */
  sort: string | null;
  mode: ViewType;
  kanbanField: string | null;
  /** The fields the board's cards show, in order; null for the board's default. */
  cardFields?: string[] | null;
  /** The field the table groups its rows by. */
  groupBy: string | null;
  hiddenColumns: string[];
  /** Pixels per column the person resized; the others keep the table's default. */
  columnWidths?: Record<string, number>;
  /** The board's scope (e.g. the pipeline shown): saved in the view's filter as `<field> eq <id>`. */
  scope?: { field: string; id: string } | null;
  /** The calendar's fields and mode (a calendar view). */
  calendar?: CalendarSettings | null;
}

/**
 * The page as a view shows it. `scopeField` is the field a board of the view is scoped by (e.g.
 * `pipeline`): its condition in a board view's filter is the scope, not a rule.
 */
export const stateOfView = (view: SavedView, scopeField?: string): PageState => {
  const split = view.type === 'kanban' ? splitScope(view.filter, scopeField) : { scope: null, rest: view.filter };
  const { match, rules } = rulesOfFilter(split.rest);
  return {
    rules,
    match,
    sort: view.sort[0] ?? null,
    mode: view.type,
    kanbanField: view.kanbanField,
    cardFields: view.cardFields,
    groupBy: view.groupBy,
    hiddenColumns: view.columns.filter((column) => column.hidden).map((column) => column.field),
    columnWidths: layoutOfColumns(view.columns).widths,
    scope: split.scope && scopeField ? { field: scopeField, id: split.scope } : null,
    calendar: view.calendar ?? null,
  };
};

/** The body of `POST /views` (without name and visibility) or `PATCH /views/{id}` for what the page shows. */
export const viewInputOf = (object: ObjectDefinition, state: PageState, columnOrder: readonly string[]): SavedViewInput => {
  const hidden = new Set(state.hiddenColumns);
  const widths = state.columnWidths ?? {};
  const filter = buildFilter({ object, rules: state.rules, match: state.match }) ?? null;
  return {
    type: state.mode,
    filter: state.mode === 'kanban' && state.scope ? withCondition(filter, { field: state.scope.field, op: 'eq', value: state.scope.id }) : filter,
    sort: state.sort ? [state.sort] : [],
    columns: columnOrder.map((field) => ({ field, ...(widths[field] !== undefined ? { width: widths[field] } : {}), ...(hidden.has(field) ? { hidden: true } : {}) })),
    groupBy: state.groupBy,
    kanbanField: state.mode === 'kanban' ? state.kanbanField : null,
    cardFields: state.mode === 'kanban' ? (state.cardFields ?? null) : null,
    calendar: state.mode === 'calendar' ? (state.calendar ?? null) : null,
  };
};

// The database gives JSON objects back with their keys in its own order: compare with sorted keys.
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  return value;
};

const comparable = (input: SavedViewInput, order: readonly string[]) =>
  JSON.stringify(canonical([
    input.type,
    input.filter ?? null,
    input.sort ?? [],
    (input.columns ?? []).filter((column) => column.hidden).map((column) => column.field).sort(),
    order,
    Object.fromEntries((input.columns ?? []).filter((column) => column.width !== undefined).map((column) => [column.field, column.width])),
    input.groupBy ?? null,
    input.type === 'kanban' ? (input.kanbanField ?? null) : null,
    input.type === 'kanban' ? (input.cardFields ?? null) : null,
    input.type === 'calendar' ? calendarOf(input.calendar) : null,
  ]));

// Absent and null settings fields mean the same: no end, no duration, no colour.
const calendarOf = (calendar: CalendarSettings | null | undefined) =>
  calendar ? { startField: calendar.startField, endField: calendar.endField ?? null, durationField: calendar.durationField ?? null, colorField: calendar.colorField ?? null, mode: calendar.mode } : null;

/**
 * True when the page no longer shows what the view saved: filter, sort, grouping, hidden columns,
 * column order and widths, the board's field and card fields, the calendar's fields and mode. `defaultOrder` is the table's own order, which columns a view does not
 * list follow (as the page shows them).
 */
export const isViewChanged = (view: SavedView, input: SavedViewInput, defaultOrder?: readonly string[]): boolean => {
  const inputOrder = (input.columns ?? []).map((column) => column.field);
  const viewOrder = orderColumns(defaultOrder ?? inputOrder, view.columns.map((column) => column.field));
  return comparable(view, viewOrder) !== comparable(input, inputOrder);
};
