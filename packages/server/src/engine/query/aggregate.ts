import type { AggregateQuery } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
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
}

export interface AggregateQueryBuilt {
  sql: RawBuilder<Record<string, unknown>>;
  /** Output name of each SQL column (`g0` → `stage`, `m0` → `count`). */
  names: ReadonlyMap<string, string>;
}

export interface AggregateResult {
  data: Array<Record<string, unknown>>;
}

const ALIAS = 't0';

/** Left joins for group keys and metrics through relations: one per distinct relation prefix. */
const createJoins = (workspace: WorkspaceMeta, rows: RowScope) => {
  const aliases = new Map<string, string>();
  const joins: RawBuilder<unknown>[] = [];
  const columnFor = (path: ResolvedOperand): RawBuilder<unknown> => {
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
    return columnOf(owner, path.operand.column);
  };
  return { columnFor, joins };
};

const compileGroupKey = (group: GroupKeySpec, column: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> => {
  if (!group.bucket) return column;
  // Buckets of datetimes are the calendar periods of the workspace's time zone; weeks start on Monday.
  return group.path.operand.kind === 'datetime'
    ? sql`date_trunc(${group.bucket}, ${column} at time zone ${timeZone})::date`
    : sql`date_trunc(${group.bucket}, ${column}::timestamp)::date`;
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
export const buildAggregateQuery = ({ workspace, object, query, rows, now, memberOf }: AggregateOptions): AggregateQueryBuilt => {
  const spec = parseAggregateSpec({ workspace, object }, query);
  const { columnFor, joins } = createJoins(workspace, rows);
  const names = new Map<string, string>();
  const sqlNames = new Map<string, string>();
  const selections = [
    ...spec.groups.map((group, index) => {
      names.set(`g${index}`, group.name);
      sqlNames.set(group.name, `g${index}`);
      return sql`${compileGroupKey(group, columnFor(group.path), workspace.timezone)} as ${sql.id(`g${index}`)}`;
    }),
    ...spec.metrics.map((metric, index) => {
      names.set(`m${index}`, metric.name);
      sqlNames.set(metric.name, `m${index}`);
      return sql`${compileMetric(metric, metric.path && columnFor(metric.path))} as ${sql.id(`m${index}`)}`;
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
  return {
    sql: sql<Record<string, unknown>>`select ${sql.join(selections)} from ${tableOf(workspace, object)} as ${sql.id(ALIAS)}${joins.length > 0 ? sql` ${sql.join(joins, sql` `)}` : sql``} where ${sql.join(conditions, sql` and `)}${groupBy}${orderBy} limit ${spec.limit}`,
    names,
  };
};

/**
 * Groups and measures the records matching a filter: one row per group with its keys
 * (`stage`, `address.country`, `closeDate:month` as 'YYYY-MM-DD') and metrics (`count`, `sum_amount`...).
 */
export const runAggregate = async (db: Db, options: AggregateOptions): Promise<AggregateResult> => {
  const built = buildAggregateQuery(options);
  const { rows } = await built.sql.execute(db);
  return {
    data: rows.map((row) => Object.fromEntries([...built.names].map(([column, name]) => [name, row[column] ?? null]))),
  };
};
