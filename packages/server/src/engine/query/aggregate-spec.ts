import { AGGREGATE_OPS, CURRENCY_CONVERSIONS, DATE_BUCKETS, type AggregateOp, type CurrencyConversion, type DateBucket } from '@rapport/common';
import { invalidQuery } from '../errors.ts';
import type { ScalarKind } from '../fields/field-type.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { assertNotEncrypted, resolvePath, type ResolvedOperand } from './resolve-field.ts';

export const MAX_GROUP_KEYS = 3;
export const MAX_METRICS = 10;
export const DEFAULT_GROUP_LIMIT = 1000;
export const MAX_GROUP_LIMIT = 10_000;

export interface GroupKeySpec {
  /** The key's name in result rows: alias, `field`, or `field:bucket`. */
  name: string;
  path: ResolvedOperand;
  bucket?: DateBucket;
}

export interface MetricSpec {
  /** The metric's name in result rows: alias, `count`, or `op_field` (dots as underscores). */
  name: string;
  op: AggregateOp;
  path?: ResolvedOperand;
  /** sum, avg, min or max of a currency field's amount converted to the workspace's default currency. */
  convert?: boolean;
}

export interface AggregateSortSpec {
  /** A group key or metric name. */
  name: string;
  direction: 'asc' | 'desc';
}

interface SpecContext {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  /** The query's `currency`: the conversion of metrics that do not choose their own. */
  currency?: CurrencyConversion | undefined;
}

const GROUPABLE: ReadonlySet<ScalarKind> = new Set(['text', 'number', 'boolean', 'date', 'datetime', 'uuid']);
const METRIC_KINDS: Record<Exclude<AggregateOp, 'count'>, ReadonlySet<ScalarKind>> = {
  countDistinct: GROUPABLE,
  sum: new Set(['number']),
  avg: new Set(['number']),
  min: new Set(['number', 'date', 'datetime', 'text']),
  max: new Set(['number', 'date', 'datetime', 'text']),
};

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const checkKeys = (value: Record<string, unknown>, allowed: readonly string[], where: string) => {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw invalidQuery(`Unknown key "${unknown}" in ${where}; expected ${allowed.join(', ')}.`, where);
};

const checkAlias = (alias: unknown, where: string): string | undefined => {
  if (alias === undefined) return undefined;
  if (typeof alias !== 'string' || alias === '' || alias.length > 100 || alias.startsWith('-')) {
    throw invalidQuery(`${where}: alias must be a non-empty string of at most 100 characters, not starting with "-".`, where);
  }
  return alias;
};

const resolveOperand = ({ workspace, object }: SpecContext, field: unknown, where: string): ResolvedOperand => {
  if (typeof field !== 'string') throw invalidQuery(`${where}: "field" must be a field name.`, where);
  const resolved = resolvePath({ workspace, object, path: field });
  if (resolved.type === 'collection') throw invalidQuery(`Cannot aggregate "${field}": it links many records.`, field);
  assertNotEncrypted(resolved, where.startsWith('groupBy') ? 'group by' : 'aggregate');
  return resolved;
};

const parseGroupKey = (context: SpecContext, entry: unknown, index: number): GroupKeySpec => {
  const where = `groupBy[${index}]`;
  const spec = typeof entry === 'string' ? { field: entry } : entry;
  if (!isPlainObject(spec)) throw invalidQuery(`${where} must be a field name or {field, bucket, alias}.`, where);
  checkKeys(spec, ['field', 'bucket', 'alias'], where);
  const path = resolveOperand(context, spec.field, where);
  const { kind } = path.operand;
  if (!GROUPABLE.has(kind)) throw invalidQuery(`Cannot group by "${path.path}": ${kind} values cannot be grouped.`, path.path);
  const alias = checkAlias(spec.alias, where);
  if (spec.bucket === undefined) return { name: alias ?? path.path, path };
  if (kind !== 'date' && kind !== 'datetime') throw invalidQuery(`Cannot bucket "${path.path}": buckets apply to dates and datetimes.`, path.path);
  if (typeof spec.bucket !== 'string' || !(DATE_BUCKETS as readonly string[]).includes(spec.bucket)) {
    throw invalidQuery(`${where}: bucket must be one of ${DATE_BUCKETS.join(', ')}.`, path.path);
  }
  const bucket = spec.bucket as DateBucket;
  return { name: alias ?? `${path.path}:${bucket}`, path, bucket };
};

const CONVERTIBLE_OPS: ReadonlySet<AggregateOp> = new Set(['sum', 'avg', 'min', 'max']);

/** The amount of a currency field (`amount`, `amount.amount`, `company.revenue`), not its code. */
const isCurrencyAmount = (path: ResolvedOperand): boolean => path.field?.type === 'currency' && path.operand.kind === 'number';

const parseConversion = (value: unknown, where: string): CurrencyConversion | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(CURRENCY_CONVERSIONS as readonly string[]).includes(value)) {
    throw invalidQuery(`${where}: currency must be one of ${CURRENCY_CONVERSIONS.join(', ')}.`, where);
  }
  return value as CurrencyConversion;
};

const parseMetric = (context: SpecContext, entry: unknown, index: number): MetricSpec => {
  const where = `metrics[${index}]`;
  if (!isPlainObject(entry)) throw invalidQuery(`${where} must be {op, field, alias, currency}.`, where);
  checkKeys(entry, ['op', 'field', 'alias', 'currency'], where);
  const conversion = parseConversion(entry.currency, `${where}.currency`) ?? context.currency;
  const { op } = entry;
  if (typeof op !== 'string' || !(AGGREGATE_OPS as readonly string[]).includes(op)) {
    throw invalidQuery(`${where}: op must be one of ${AGGREGATE_OPS.join(', ')}.`, where);
  }
  const alias = checkAlias(entry.alias, where);
  if (entry.field === undefined) {
    if (op !== 'count') throw invalidQuery(`${where}: ${op} needs a field.`, where);
    if (entry.currency === 'default') throw invalidQuery(`${where}: a count of records has no currency to convert.`, `${where}.currency`);
    return { name: alias ?? 'count', op };
  }
  const path = resolveOperand(context, entry.field, where);
  if (op !== 'count' && !METRIC_KINDS[op as Exclude<AggregateOp, 'count'>].has(path.operand.kind)) {
    throw invalidQuery(`Cannot compute ${op} of "${path.path}": it is a ${path.operand.kind} field.`, path.path);
  }
  const convertible = CONVERTIBLE_OPS.has(op as AggregateOp) && isCurrencyAmount(path);
  if (entry.currency === 'default' && !convertible) {
    throw invalidQuery(`${where}: only sum, avg, min and max of a currency field's amount convert to the default currency; "${path.path}" with ${op} does not.`, `${where}.currency`);
  }
  return { name: alias ?? `${op}_${path.path.replaceAll('.', '_')}`, op: op as AggregateOp, path, ...(convertible && conversion === 'default' ? { convert: true } : {}) };
};

const parseList = <T>(value: unknown, where: string, max: number, parse: (entry: unknown, index: number) => T): T[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidQuery(`${where} must be a list.`, where);
  if (value.length > max) throw invalidQuery(`At most ${max} ${where}; got ${value.length}.`, where);
  return value.map(parse);
};

export interface AggregateSpec {
  groups: GroupKeySpec[];
  metrics: MetricSpec[];
  sort: AggregateSortSpec[];
  limit: number;
}

/** Validates the group keys, metrics (`count` when none), sort and limit of an aggregate query. */
export const parseAggregateSpec = (base: SpecContext, query: { groupBy?: unknown; metrics?: unknown; sort?: unknown; limit?: unknown; currency?: unknown }): AggregateSpec => {
  const context: SpecContext = { ...base, currency: parseConversion(query.currency, 'currency') };
  const groups = parseList(query.groupBy, 'groupBy', MAX_GROUP_KEYS, (entry, index) => parseGroupKey(context, entry, index));
  const parsedMetrics = parseList(query.metrics, 'metrics', MAX_METRICS, (entry, index) => parseMetric(context, entry, index));
  const metrics: MetricSpec[] = parsedMetrics.length > 0 ? parsedMetrics : [{ name: 'count', op: 'count' }];
  const names = [...groups, ...metrics].map((item) => item.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw invalidQuery(`"${duplicate}" names two columns of the result; give one an alias.`, duplicate);
  const sort = parseList(query.sort, 'sort', MAX_GROUP_KEYS + MAX_METRICS, (spec): AggregateSortSpec => {
    const name = typeof spec === 'string' && spec.startsWith('-') ? spec.slice(1) : spec;
    if (typeof name !== 'string' || !names.includes(name)) {
      throw invalidQuery(`Cannot sort by ${JSON.stringify(name)}: sort by a group key or a metric (${names.join(', ')}).`, 'sort');
    }
    return { name, direction: name === spec ? 'asc' : 'desc' };
  });
  const { limit = DEFAULT_GROUP_LIMIT } = query;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_GROUP_LIMIT) {
    throw invalidQuery(`limit must be a whole number from 1 to ${MAX_GROUP_LIMIT}.`, 'limit');
  }
  return { groups, metrics, sort, limit };
};
