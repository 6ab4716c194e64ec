import type { AggregateQuery, FieldDefinition, Filter, ObjectDefinition, SelectChoice } from '@rapport/common';
import type { ApiRecord } from '../../../api/types.ts';
import { canOn, findObject, relationKindOf, tableFieldsOf, titleFieldOf } from '../metadata.ts';
import { activityLinkOf } from '../record-page/activity-model.ts';

/** The key of the column of records without a value. */
export const NO_VALUE = '__none__';

/** Select fields a board can be grouped by, the opportunity's `stage` (or any field named so) first. */
export const groupFieldsOf = (object: ObjectDefinition): FieldDefinition[] => {
  const selects = object.fields.filter((field) => field.type === 'select' && (field.options?.choices?.length ?? 0) > 0);
  return [...selects.filter((field) => field.name === 'stage'), ...selects.filter((field) => field.name !== 'stage')];
};

/** The number or currency field a board sums per column: `amount` when there is one. */
export const sumFieldOf = (object: ObjectDefinition): FieldDefinition | undefined => {
  const numeric = object.fields.filter((field) => field.type === 'currency' || field.type === 'number');
  return numeric.find((field) => field.name === 'amount') ?? numeric.find((field) => field.type === 'currency') ?? numeric[0];
};

export interface BoardColumn {
  /** The choice value, or NO_VALUE. */
  key: string;
  choice: SelectChoice | undefined;
  records: ApiRecord[];
}

/**
 * The columns of a board, in choice order, each with its records (as listed). `moves` are the
 * optimistic changes not yet confirmed by the server (record id → new value). Records whose value is no
 * choice of the field (or empty) go to a last "no value" column, shown only when it has records or
 * the field may be empty.
 */
export const buildColumns = (field: FieldDefinition, records: readonly ApiRecord[], moves: ReadonlyMap<string, string | null> = new Map()): BoardColumn[] => {
  const choices = field.options?.choices ?? [];
  const columns: BoardColumn[] = choices.map((choice) => ({ key: choice.value, choice, records: [] }));
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const none: BoardColumn = { key: NO_VALUE, choice: undefined, records: [] };
  for (const record of records) {
    const value = moves.has(record.id) ? moves.get(record.id) : record[field.name];
    const column = typeof value === 'string' ? byKey.get(value) : undefined;
    (column ?? none).records.push(record);
  }
  if (none.records.length > 0 || !field.required) columns.push(none);
  return columns;
};

/** The API value a column stands for. */
export const valueOfColumn = (key: string): string | null => (key === NO_VALUE ? null : key);

export interface ColumnTotals {
  count: number;
  sum: number | null;
}

/** Aggregate rows (`groupBy: [field]`, metrics `count` and `sum_<field>`) keyed by column. */
export const totalsByColumn = (rows: readonly Record<string, unknown>[], groupField: string, sumField: string | undefined): Map<string, ColumnTotals> => {
  const totals = new Map<string, ColumnTotals>();
  for (const row of rows) {
    const value = row[groupField];
    const key = typeof value === 'string' ? value : NO_VALUE;
    const sum = sumField ? row[`sum_${sumField}`] : null;
    const previous = totals.get(key);
    const count = Number(row.count ?? 0) + (previous?.count ?? 0);
    const numeric = typeof sum === 'number' ? sum : typeof sum === 'string' && sum !== '' ? Number(sum) : null;
    totals.set(key, { count, sum: numeric === null ? (previous?.sum ?? null) : numeric + (previous?.sum ?? 0) });
  }
  return totals;
};

/** Fields a card can show under its title: the table's fields but the title. */
export const cardFieldOptionsOf = (object: ObjectDefinition): FieldDefinition[] => {
  const title = titleFieldOf(object);
  return tableFieldsOf(object).filter((field) => field.name !== title);
};

const DEFAULT_CARD_FIELDS = 3;
const isDate = (field: FieldDefinition) => (field.type === 'date' || field.type === 'datetime') && !field.isSystem;

/**
 * The cards of a board nobody chose fields for: the summed amount, the first date (a close or due
 * date), the first many-to-one relation and the owner, topped up with the table's first fields; three
 * at most, never the board's own field (its column says it).
 */
export const defaultCardFieldsOf = (object: ObjectDefinition, groupField: string): string[] => {
  const options = cardFieldOptionsOf(object).filter((field) => field.name !== groupField);
  const preferred = [
    sumFieldOf(object),
    options.find(isDate),
    options.find((field) => relationKindOf(field) === 'manyToOne'),
    options.find((field) => field.type === 'owner'),
    ...options,
  ];
  const names = new Set(options.map((field) => field.name));
  return [...new Set(preferred.flatMap((field) => (field && names.has(field.name) ? [field.name] : [])))].slice(0, DEFAULT_CARD_FIELDS);
};

/** The fields the cards show, in order: the chosen ones the caller can see, else the default. */
export const cardFieldsOf = (object: ObjectDefinition, chosen: readonly string[] | null | undefined, groupField: string): FieldDefinition[] => {
  const byName = new Map(cardFieldOptionsOf(object).map((field) => [field.name, field]));
  return (chosen ?? defaultCardFieldsOf(object, groupField)).flatMap((name) => byName.get(name) ?? []);
};

/** The card fields with `name` shown (at the end) or hidden. */
export const toggleCardField = (names: readonly string[], name: string, isShown: boolean): string[] =>
  isShown ? [...names.filter((other) => other !== name), name] : names.filter((other) => other !== name);

/** The card fields with `name` one place earlier (-1) or later (1). */
export const moveCardField = (names: readonly string[], name: string, offset: -1 | 1): string[] => {
  const from = names.indexOf(name);
  const to = from + offset;
  if (from < 0 || to < 0 || to >= names.length) return [...names];
  const next = [...names];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
};

/** A task due within this many days makes an "upcoming" badge. */
export const UPCOMING_DAYS = 7;
const DAY = 86_400_000;

export interface ActivityBadge {
  kind: 'overdue' | 'upcoming';
  /** The earliest due time of the record's open tasks (ISO). */
  due: string;
  /** Calendar days from today to the due day: negative when past, 0 today. */
  days: number;
}

const dayOf = (time: number) => {
  const date = new Date(time);
  return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
};

/** The badge of a record whose next open task is due at `due`: overdue once past, upcoming within 7 days, else none. */
export const activityBadgeOf = (due: unknown, now: number): ActivityBadge | undefined => {
  const time = typeof due === 'string' ? Date.parse(due) : Number.NaN;
  if (Number.isNaN(time)) return undefined;
  const days = Math.round((dayOf(time) - dayOf(now)) / DAY);
  if (time < now) return { kind: 'overdue', due: due as string, days };
  return days <= UPCOMING_DAYS ? { kind: 'upcoming', due: due as string, days } : undefined;
};

/** The field a task's due time is in, and the aggregate's name for its earliest one. */
const DUE_FIELD = 'dueAt';
const NEXT_DUE = 'nextDue';

/**
 * The aggregate query (`POST /records/task/aggregate`) of the earliest due time of the open tasks
 * (status not `done`) with a due time linked by `link` to these records, one row per record. Undefined
 * when the caller does not see tasks' due times.
 */
export const openTasksQuery = (task: ObjectDefinition, link: string, ids: readonly string[]): AggregateQuery | undefined => {
  if (!task.fields.some((field) => field.name === DUE_FIELD)) return undefined;
  const status = task.fields.find((field) => field.name === 'status');
  const isOpen: Filter[] = status?.options?.choices?.some((choice) => choice.value === 'done') ? [{ field: 'status', op: 'neq', value: 'done' }] : [];
  return {
    filter: { and: [{ field: link, op: 'in', value: [...ids] }, { field: DUE_FIELD, op: 'isNotEmpty' }, ...isOpen] },
    groupBy: [link],
    metrics: [{ op: 'min', field: DUE_FIELD, alias: NEXT_DUE }],
    limit: Math.max(ids.length, 1),
  };
};

/** The API's limit of values in one `in` condition: more cards take one request per this many. */
export const IDS_PER_REQUEST = 1000;

/**
 * The task badge requests of a board of `object` showing these records, and the tasks' field linking
 * to them; undefined (no badges, no error) when the caller cannot read tasks or their due time, or
 * tasks do not link to the object.
 */
export const taskBadgeRequestsOf = (objects: readonly ObjectDefinition[], object: string, ids: readonly string[]): { link: string; queries: AggregateQuery[] } | undefined => {
  const task = findObject(objects, 'task');
  const link = task && canOn(task, 'read') ? activityLinkOf(task, object) : undefined;
  if (!task || !link || ids.length === 0) return undefined;
  const queries: AggregateQuery[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) {
    const query = openTasksQuery(task, link, ids.slice(start, start + IDS_PER_REQUEST));
    if (!query) return undefined;
    queries.push(query);
  }
  return { link, queries };
};

/** Aggregate rows of `openTasksQuery` as badges by record id (records without one are left out). */
export const activityBadgesOf = (rows: readonly Record<string, unknown>[], link: string, now: number): Map<string, ActivityBadge> => {
  const badges = new Map<string, ActivityBadge>();
  for (const row of rows) {
    const id = row[link];
    const badge = activityBadgeOf(row[NEXT_DUE], now);
    if (typeof id === 'string' && badge) badges.set(id, badge);
  }
  return badges;
};
