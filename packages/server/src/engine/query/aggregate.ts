import type { AggregateQuery, UnconvertedAmounts } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import { conversionRate, findRateSource, type RateSource } from '../currency/exchange-rates.ts';
import type { Db } from '../db/database.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { parseAggregateSpec, type GroupKeySpec, type MetricSpec } from './aggregate-spec.ts';
import { compileFilter } from './compile-filter.ts';
import type { ResolvedOperand } from './resolve-field.ts';
import type { RowScope } from './row-scope.ts';
import { columnOf, deletedCondition, segmentMemberCondition, tableOf } from './sql-parts.ts';

export interface AggregateOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  query: AggregateQuery;
  /** The rows the caller may read: ANDed into the query, and related records outside it group as missing. */
  rows: RowScope;
  /** The moment relative dates in the filter are resolved at; defaults to the current time. */
  now?: Date;
  /** Only the members of this static segment (engine/segments). */
  memberOf?: string;
  /**
   * The exchange rates converted metrics read (engine/currency). Found in the whole workspace by the route, not
   * in the caller's view: rates are reference data, like the default currency. Defaults to those of `workspace`.
   */
  rates?: RateSource | undefined;
}

export interface AggregateQueryBuilt {
  sql: RawBuilder<Record<string, unknown>>;
  /** Output name of each SQL column (`g0` → `stage`, `m0` → `count`). */
  names: ReadonlyMap<string, string>;
  /** With converted metrics: the amounts of the same records whose currency has no rate, by field and currency. */
  unconverted?: RawBuilder<{ field: string; currency: string; count: number | string }>;
}

export interface AggregateResult {
  data: Array<Record<string, unknown>>;
  /** With converted metrics: the workspace's default currency they are in. */
  currency?: string;
  /** With converted metrics: amounts left out because their currency has no rate at all. */
  unconverted?: UnconvertedAmounts[];
}

const ALIAS = 't0';

/** Left joins for group keys and metrics through relations: one per distinct relation prefix. */
const createJoins = (workspace: WorkspaceMeta, rows: RowScope) => {
  const aliases = new Map<string, string>();
  const joins: RawBuilder<unknown>[] = [];
  /** The alias of the row holding the path's value: `t0`, or the join of its last relation. */
  const ownerFor = (path: ResolvedOperand): string => {
    let owner = ALIAS;
    path.hops.forEach((hop, index) => {
      const prefix = path.hops.slice(0, index + 1).map((step) => step.field.name).join('.');
      let alias = aliases.get(prefix);
      if (!alias) {
        alias = `j${aliases.size + 1}`;
        aliases.set(prefix, alias);
        // A missing, deleted or unreadable related record groups under null, like an empty field.
        const readable = rows.predicate({ object: hop.target, alias, mode: 'read' });
        joins.push(sql`left join ${tableOf(workspace, hop.target)} as ${sql.id(alias)} on ${columnOf(alias, 'id')} = ${columnOf(owner, hop.field.column)} and ${deletedCondition(alias)}${readable ? sql` and ${readable}` : sql``}`);
      }
      owner = alias;
    });
    return owner;
  };
  const columnFor = (path: ResolvedOperand): RawBuilder<unknown> => columnOf(ownerFor(path), path.operand.column);
  return { columnFor, ownerFor, joins };
};

/** A currency amount converted to the default currency: its row's alias, field, and the lateral join giving its rate. */
interface Conversion {
  path: string;
  owner: string;
  field: FieldMeta;
  rateAlias: string;
}

/**
 * The day an amount converts at: its `conversionDateField` (a date or datetime of the same object) when set
 * and filled, else the day its record was created, in the workspace's time zone.
 */
const conversionDay = (object: ObjectMeta, field: FieldMeta, owner: string, timeZone: string): RawBuilder<unknown> => {
  const created = sql`(${columnOf(owner, 'created_at')} at time zone ${timeZone})::date`;
  const dateField = object.fieldsByName.get(field.options?.conversionDateField ?? '');
  if (!dateField || dateField.options?.encrypted) return created;
  if (dateField.type === 'date') return sql`coalesce(${columnOf(owner, dateField.column)}, ${created})`;
  if (dateField.type === 'datetime') return sql`coalesce((${columnOf(owner, dateField.column)} at time zone ${timeZone})::date, ${created})`;
  return created;
};

/** Left joins lateral giving each converted currency field its rate: one per field and row alias. */
const createConversions = (workspace: WorkspaceMeta, object: ObjectMeta, rates: RateSource | undefined, ownerFor: (path: ResolvedOperand) => string, joins: RawBuilder<unknown>[]) => {
  const conversions = new Map<string, Conversion>();
  const rateFor = (path: ResolvedOperand): Conversion => {
    const field = path.field!;
    const owner = ownerFor(path);
    const key = `${owner}.${field.column}`;
    const known = conversions.get(key);
    if (known) return known;
    const rateAlias = `c${conversions.size + 1}`;
    const holder = path.hops.at(-1)?.target ?? object;
    const currency = sql`${columnOf(owner, `${field.column}_currency`)}::text`;
    const rate = conversionRate({ source: rates, defaultCurrency: workspace.defaultCurrency, currency, day: conversionDay(holder, field, owner, workspace.timezone) });
    joins.push(sql`left join lateral (select ${rate} as rate) as ${sql.id(rateAlias)} on true`);
    const conversion = { path: path.path.replace(/\.amount$/, ''), owner, field, rateAlias };
    conversions.set(key, conversion);
    return conversion;
  };
  return { rateFor, conversions };
};

const compileGroupKey = (group: GroupKeySpec, column: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> => {
  if (!group.bucket) return column;
  // Buckets of datetimes are the calendar periods of the workspace's time zone; weeks start on Monday.
  return group.path.operand.kind === 'datetime'
    ? sql`date_trunc(${group.bucket}, ${column} at time zone ${timeZone})::date`
    : sql`date_trunc(${group.bucket}, ${column}::timestamp)::date`;
};

/** Converted amounts are rounded to 4 decimals, the precision of stored amounts. */
const compileConvertedMetric = (metric: MetricSpec, amount: RawBuilder<unknown>): RawBuilder<unknown> => {
  switch (metric.op) {
    case 'sum': return sql`round(sum(${amount}), 4)`;
    case 'avg': return sql`round(avg(${amount}), 4)`;
    case 'min': return sql`round(min(${amount}), 4)`;
    case 'max': return sql`round(max(${amount}), 4)`;
    default: return sql`null`;
  }
};

const compileMetric = (metric: MetricSpec, column: RawBuilder<unknown> | undefined): RawBuilder<unknown> => {
  if (!column) return sql`count(*)`;
  switch (metric.op) {
    case 'count': return sql`count(${column})`;
    case 'countDistinct': return sql`count(distinct ${column})`;
    case 'sum': return sql`sum(${column})`;
    case 'avg': return sql`avg(${column})`;
    case 'min': return sql`min(${column})`;
    case 'max': return sql`max(${column})`;
  }
};

/** Builds the SQL of an aggregate query; validates it first. */
export const buildAggregateQuery = ({ workspace, object, query, rows, now, memberOf, rates }: AggregateOptions): AggregateQueryBuilt => {
  const spec = parseAggregateSpec({ workspace, object }, query);
  const { columnFor, ownerFor, joins } = createJoins(workspace, rows);
  const { rateFor, conversions } = createConversions(workspace, object, rates === undefined ? findRateSource(workspace) : rates, ownerFor, joins);
  const names = new Map<string, string>();
  const sqlNames = new Map<string, string>();
  const measure = (metric: MetricSpec): RawBuilder<unknown> => {
    if (!metric.path) return compileMetric(metric, undefined);
    const column = columnFor(metric.path);
    if (!metric.convert) return compileMetric(metric, column);
    // Units of the currency per one default unit: dividing by it gives default units; no rate, no value.
    return compileConvertedMetric(metric, sql`${column} / ${columnOf(rateFor(metric.path).rateAlias, 'rate')}`);
  };
  const selections = [
    ...spec.groups.map((group, index) => {
      names.set(`g${index}`, group.name);
      sqlNames.set(group.name, `g${index}`);
      return sql`${compileGroupKey(group, columnFor(group.path), workspace.timezone)} as ${sql.id(`g${index}`)}`;
    }),
    ...spec.metrics.map((metric, index) => {
      names.set(`m${index}`, metric.name);
      sqlNames.set(metric.name, `m${index}`);
      return sql`${measure(metric)} as ${sql.id(`m${index}`)}`;
    }),
  ];
  const conditions = [deletedCondition(ALIAS)];
  const access = rows.predicate({ object, alias: ALIAS, mode: 'read' });
  if (access) conditions.push(sql`(${access})`);
  if (query.filter !== undefined) conditions.push(sql`(${compileFilter({ workspace, object, filter: query.filter, alias: ALIAS, rows, ...(now ? { now } : {}) })})`);
  if (memberOf !== undefined) conditions.push(segmentMemberCondition(ALIAS, memberOf));
  // Output columns by position: the bucket expressions bind parameters, so repeating them would not match.
  const groupBy = spec.groups.length > 0 ? sql` group by ${sql.join(spec.groups.map((_, index) => sql.lit(index + 1)))}` : sql``;
  // Explicit sort first, then every group key so equal sort values come back in a stable order; empty values last.
  const order = [
    ...spec.sort.map((item) => ({ column: sqlNames.get(item.name) ?? '', direction: item.direction })),
    ...spec.groups.map((_, index) => ({ column: `g${index}`, direction: 'asc' as const })),
  ].filter((item, index, all) => all.findIndex((other) => other.column === item.column) === index);
  const orderBy = order.length > 0
    ? sql` order by ${sql.join(order.map((item) => sql`${sql.id(item.column)} ${item.direction === 'asc' ? sql`asc` : sql`desc`} nulls last`))}`
    : sql``;
  const from = sql`from ${tableOf(workspace, object)} as ${sql.id(ALIAS)}${joins.length > 0 ? sql` ${sql.join(joins, sql` `)}` : sql``} where ${sql.join(conditions, sql` and `)}`;
  // The same records (filter, segment, row access): amounts with a currency but no rate, per field and currency.
  const unconverted = conversions.size === 0 ? undefined : sql<{ field: string; currency: string; count: number | string }>`select field, currency, count(*) as count from (${sql.join(
    [...conversions.values()].map(({ path, owner, field, rateAlias }) =>
      sql`select ${path}::text as field, ${columnOf(owner, `${field.column}_currency`)}::text as currency ${from} and ${columnOf(owner, `${field.column}_amount`)} is not null and ${columnOf(rateAlias, 'rate')} is null`),
    sql` union all `,
  )}) as missing group by field, currency order by field, currency`;
  return {
    sql: sql<Record<string, unknown>>`select ${sql.join(selections)} ${from}${groupBy}${orderBy} limit ${spec.limit}`,
    names,
    ...(unconverted ? { unconverted } : {}),
  };
};

/**
 * Groups and measures the records matching a filter: one row per group with its keys
 * (`stage`, `address.country`, `closeDate:month` as 'YYYY-MM-DD') and metrics (`count`, `sum_amount`...).
 */
export const runAggregate = async (db: Db, options: AggregateOptions): Promise<AggregateResult> => {
  const built = buildAggregateQuery(options);
  const { rows } = await built.sql.execute(db);
  const data = rows.map((row) => Object.fromEntries([...built.names].map(([column, name]) => [name, row[column] ?? null])));
  if (!built.unconverted) return { data };
  const missing = await built.unconverted.execute(db);
  return {
    data,
    currency: options.workspace.defaultCurrency,
    unconverted: missing.rows.map((row) => ({ field: row.field, currency: row.currency, count: Number(row.count) })),
  };
};
