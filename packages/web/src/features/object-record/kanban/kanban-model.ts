import type { AggregateQuery, FieldDefinition, Filter, ObjectDefinition, SelectChoice } from '@rapport/common';
import type { ApiRecord } from '../../../api/types.ts';
import { canOn, findObject, relationKindOf, tableFieldsOf, titleFieldOf } from '../metadata.ts';
import { activityLinkOf } from '../record-page/activity-model.ts';

/** The key of the column of records without a value. */
export const NO_VALUE = '__none__';

/** A many-to-one relation to an ordered lookup (its target has a number field `position`, e.g. pipeline stages). */
const isOrderedLookup = (field: FieldDefinition, objects: readonly ObjectDefinition[]) =>
  relationKindOf(field) === 'manyToOne' && Boolean(findObject(objects, field.options?.target)?.fields.some((other) => other.name === POSITION && other.type === 'number'));

/**
 * Fields a board can be grouped by: selects with choices and many-to-one relations to an ordered lookup
 * (`objects` names the targets), the opportunity's `stage` (or any field named so) first.
 */
export const groupFieldsOf = (object: ObjectDefinition, objects: readonly ObjectDefinition[] = []): FieldDefinition[] => {
  const fields = object.fields.filter((field) => (field.type === 'select' && (field.options?.choices?.length ?? 0) > 0) || isOrderedLookup(field, objects));
  return [...fields.filter((field) => field.name === 'stage'), ...fields.filter((field) => field.name !== 'stage')];
};

/** The field ordering the records of a lookup (columns, pipelines). */
export const POSITION = 'position';

/** True for a board grouped by a relation: its columns are the target's records. */
export const isRelationGroup = (field: FieldDefinition) => field.type === 'relation';

/** The id a many-to-one value names: the id itself, or the included record's. */
export const relatedIdOf = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return null;
};

const positionOf = (record: ApiRecord) => (typeof record[POSITION] === 'number' ? (record[POSITION] as number) : Number.POSITIVE_INFINITY);

/** Records of a lookup in their `position` order (those without one last, in the order given). */
export const byPosition = (records: readonly ApiRecord[]): ApiRecord[] =>
  records.map((record, index) => ({ record, index })).sort((a, b) => positionOf(a.record) - positionOf(b.record) || a.index - b.index).map(({ record }) => record);

/** The number or currency field a board sums per column: `amount` when there is one. */
export const sumFieldOf = (object: ObjectDefinition): FieldDefinition | undefined => {
  const numeric = object.fields.filter((field) => field.type === 'currency' || field.type === 'number');
  return numeric.find((field) => field.name === 'amount') ?? numeric.find((field) => field.type === 'currency') ?? numeric[0];
};

export interface BoardColumn {
  /** The choice value or the related record's id, or NO_VALUE. */
  key: string;
  choice: SelectChoice | undefined;
  /** For a board grouped by a relation: the record the column stands for (a pipeline stage). */
  target?: ApiRecord | undefined;
  records: ApiRecord[];
}

/**
 * The columns of a board, each with its records (as listed): one per choice in choice order, or for a
 * relation one per `targets` record in `position` order. `moves` are the optimistic changes not yet
 * confirmed by the server (record id → new value). Records whose value is no column (or empty) go to a
 * last "no value" column, shown only when it has records or a select field may be empty (a relation's
 * records are its columns: an empty one shows only when needed).
 */
export const buildColumns = (
  field: FieldDefinition,
  records: readonly ApiRecord[],
  moves: ReadonlyMap<string, string | null> = new Map(),
  targets: readonly ApiRecord[] = [],
): BoardColumn[] => {
  const isRelation = isRelationGroup(field);
  const columns: BoardColumn[] = isRelation
    ? byPosition(targets).map((target) => ({ key: target.id, choice: undefined, target, records: [] }))
    : (field.options?.choices ?? []).map((choice) => ({ key: choice.value, choice, records: [] }));
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const none: BoardColumn = { key: NO_VALUE, choice: undefined, records: [] };
  for (const record of records) {
    const value = moves.has(record.id) ? moves.get(record.id) : isRelation ? relatedIdOf(record[field.name]) : record[field.name];
    const column = typeof value === 'string' ? byKey.get(value) : undefined;
    (column ?? none).records.push(record);
  }
  if (none.records.length > 0 || (!field.required && !isRelation)) columns.push(none);
  return columns;
};

/** Won and lost columns (a stage's `kind`) are drawn green and red; undefined for any other column. */
export const columnOutcomeOf = (column: BoardColumn): 'won' | 'lost' | undefined => {
  const kind = column.target?.kind;
  return kind === 'won' || kind === 'lost' ? kind : undefined;
};

/** The colour of a column: its choice's, green or red for won or lost, blue for another record, else gray. */
export const columnColourOf = (column: BoardColumn): string => {
  const outcome = columnOutcomeOf(column);
  if (outcome) return outcome === 'won' ? 'green' : 'red';
  return column.choice?.color ?? (column.target ? 'blue' : 'gray');
};

/** The win probability a column's record carries (a stage's `probability`), if any. */
export const columnProbabilityOf = (column: BoardColumn): number | undefined => {
  const value = column.target?.probability;
  return typeof value === 'number' ? value : undefined;
};

const DAY_MS = 86_400_000;

/** Whole days since a record entered its column (`<field>EnteredAt`, e.g. `stageEnteredAt`), if known. */
export const daysInColumnOf = (record: ApiRecord, groupField: string, now: number): number | undefined => {
  const value = record[`${groupField}EnteredAt`];
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : Math.max(0, Math.floor((now - time) / DAY_MS));
};

/**
 * What a board of `object` grouped by a relation is scoped by: when the columns' object has a
 * many-to-one `columnField` to an object the board's object also points to with `field` (stages of a
 * pipeline, opportunities of a pipeline), the board shows one of those at a time.
 */
export interface BoardScope {
  /** The board object's field, e.g. `opportunity.pipeline`. */
  field: FieldDefinition;
  /** The columns' field, e.g. `pipelineStage.pipeline`. */
  columnField: FieldDefinition;
  /** The object chosen among, e.g. `pipeline`. */
  object: ObjectDefinition;
}

export const boardScopeOf = (object: ObjectDefinition, groupField: FieldDefinition, objects: readonly ObjectDefinition[]): BoardScope | undefined => {
  if (relationKindOf(groupField) !== 'manyToOne') return undefined;
  const columnObject = findObject(objects, groupField.options?.target);
  for (const columnField of columnObject?.fields ?? []) {
    if (relationKindOf(columnField) !== 'manyToOne') continue;
    const target = columnField.options?.target;
    const field = object.fields.find((candidate) => candidate.name !== groupField.name && relationKindOf(candidate) === 'manyToOne' && candidate.options?.target === target);
    const scopeObject = findObject(objects, target);
    if (field && scopeObject) return { field, columnField, object: scopeObject };
  }
  return undefined;
};

/** The query of the records a scope chooses among: active ones (when the object says), by position. */
export const scopeOptionsQuery = (scope: BoardScope): { filter?: Filter; sort?: string[]; limit: number } => {
  const hasActive = scope.object.fields.some((field) => field.name === 'isActive' && field.type === 'boolean');
  const hasPosition = scope.object.fields.some((field) => field.name === POSITION);
  return { ...(hasActive ? { filter: { field: 'isActive', op: 'eq', value: true } } : {}), ...(hasPosition ? { sort: [POSITION] } : {}), limit: LOOKUP_LIMIT };
};

/** Lookups (stages, pipelines) are small lists: read at once, this many at most. */
export const LOOKUP_LIMIT = 200;

/** The scope records to offer: in position order, without inactive ones. */
export const scopeOptionsOf = (records: readonly ApiRecord[]): ApiRecord[] => byPosition(records.filter((record) => record.isActive !== false));

/** The chosen scope: the one asked for (the URL) when offered, else the first. */
export const resolveScope = (options: readonly ApiRecord[], requested: string | null | undefined): string | undefined =>
  options.find((option) => option.id === requested)?.id ?? options[0]?.id;

/** The column records of the chosen scope (the stages of the pipeline); all of them without a scope. */
export const scopedColumns = (targets: readonly ApiRecord[], scope: BoardScope | undefined, selected: string | undefined): ApiRecord[] =>
  scope ? targets.filter((target) => relatedIdOf(target[scope.columnField.name]) === selected) : [...targets];

/** The condition of the records in the chosen scope, e.g. `{field: 'pipeline', op: 'eq', value: id}`. */
export const scopeConditionOf = (scope: BoardScope, id: string): Filter => ({ field: scope.field.name, op: 'eq', value: id });

/** `filter` and `condition` (appended to a top-level `and`). */
export const withCondition = (filter: Filter | null | undefined, condition: Filter): Filter => {
  if (!filter) return condition;
  return 'and' in filter ? { and: [...filter.and, condition] } : { and: [filter, condition] };
};

/**
 * A saved filter taken apart: the scope it holds (a top-level `<field> eq <id>` condition, as
 * `withCondition` adds it) and the rest.
 */
export const splitScope = (filter: Filter | null | undefined, field: string | undefined): { scope: string | null; rest: Filter | null } => {
  const isScope = (item: Filter) => 'field' in item && item.field === field && item.op === 'eq' && typeof item.value === 'string';
  if (!filter || !field) return { scope: null, rest: filter ?? null };
  if (isScope(filter)) return { scope: (filter as { value: string }).value, rest: null };
  if (!('and' in filter)) return { scope: null, rest: filter };
  const index = filter.and.findLastIndex(isScope);
  if (index < 0) return { scope: null, rest: filter };
  const scope = (filter.and[index] as { value: string }).value;
  const others = filter.and.filter((_, position) => position !== index);
  return { scope, rest: others.length === 0 ? null : others.length === 1 ? others[0]! : { and: others } };
};

/** The per-field errors of a refused move that a stage requires (`requiredByStage`), by field name. */
export const requiredByStageOf = (errors: readonly { field: string; code: string }[], object: ObjectDefinition): FieldDefinition[] => {
  const names = new Set(errors.filter((error) => error.code === 'requiredByStage').map((error) => error.field));
  return object.fields.filter((field) => names.has(field.name));
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
 * date), the first reference or else many-to-one relation and the owner, topped up with the table's first fields; three
 * at most, never the board's own field (its column says it) nor its scope (the pipeline it shows).
 */
export const defaultCardFieldsOf = (object: ObjectDefinition, groupField: string, scopeField?: string): string[] => {
  const options = cardFieldOptionsOf(object).filter((field) => field.name !== groupField && field.name !== scopeField);
  const preferred = [
    sumFieldOf(object),
    options.find(isDate),
    // What a card is about: a reference (a task's "Related to", any record), else its first many-to-one relation.
    options.find((field) => field.type === 'reference') ?? options.find((field) => relationKindOf(field) === 'manyToOne'),
    options.find((field) => field.type === 'owner'),
    ...options,
  ];
  const names = new Set(options.map((field) => field.name));
  return [...new Set(preferred.flatMap((field) => (field && names.has(field.name) ? [field.name] : [])))].slice(0, DEFAULT_CARD_FIELDS);
};

/** The fields the cards show, in order: the chosen ones the caller can see, else the default. */
export const cardFieldsOf = (object: ObjectDefinition, chosen: readonly string[] | null | undefined, groupField: string, scopeField?: string): FieldDefinition[] => {
  const byName = new Map(cardFieldOptionsOf(object).map((field) => [field.name, field]));
  return (chosen ?? defaultCardFieldsOf(object, groupField, scopeField)).flatMap((name) => byName.get(name) ?? []);
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
  const link = task && canOn(task, 'read') ? activityLinkOf(task, findObject(objects, object) ?? object) : undefined;
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

export interface BoardLookups {
  /** What the board is scoped by (the pipeline), when its columns belong to one. */
  scope: BoardScope | undefined;
  /** The records to choose the scope among (active pipelines, by position). */
  scopeOptions: ApiRecord[];
  /** The chosen one (the URL's, else the first). */
  selectedScope: string | undefined;
  /** The columns' records for a board grouped by a relation (the chosen pipeline's stages). */
  targets: ApiRecord[];
  /** The condition the list and totals add: only the records of the chosen scope. */
  condition: Filter | undefined;
  /** False while the columns or the scope are being read: the board waits for them. */
  isReady: boolean;
  /**
   * The condition the list is read with, and whether it can be read yet: at once when the URL names the scope
   * (the list and the lookups are asked together), else once the scope is resolved (the first one offered).
   * A scope named but not offered (inactive, unreadable) is resolved after the lookups, and the list read again.
   */
  listCondition: Filter | undefined;
  isListReady: boolean;
}

/** Where a lookup of the board stands (a query's state). */
export interface LookupState {
  isSuccess: boolean;
  isError: boolean;
  data: ApiRecord[] | undefined;
}

/**
 * The board's lookups from the state of its two queries: the columns' records (`targets`) and the records the scope
 * chooses among (`options`). `requested` is the scope the URL names.
 */
export const boardLookupsOf = ({ isRelation, scope, requested, targets, options }: { isRelation: boolean; scope: BoardScope | undefined; requested: string | null; targets: LookupState; options: LookupState }): BoardLookups => {
  // A scope the caller cannot read (or none defined yet): the board shows every column and record.
  const usable = scope && options.isSuccess && (options.data?.length ?? 0) > 0 ? scope : undefined;
  const scopeOptions = usable ? scopeOptionsOf(options.data ?? []) : [];
  const selectedScope = usable ? resolveScope(scopeOptions, requested) : undefined;
  const condition = usable && selectedScope ? scopeConditionOf(usable, selectedScope) : undefined;
  const isScopeResolved = !scope || options.isSuccess || options.isError;
  const early = scope && requested && !isScopeResolved ? scopeConditionOf(scope, requested) : undefined;
  return {
    scope: usable,
    scopeOptions,
    selectedScope,
    targets: scopedColumns(targets.data ?? [], usable, selectedScope),
    condition,
    isReady: !isRelation || ((targets.isSuccess || targets.isError) && isScopeResolved),
    listCondition: early ?? condition,
    isListReady: !isRelation || isScopeResolved || early !== undefined,
  };
};
