/** The query language: a JSON filter AST shared by the API, views, reports, segments and workflows. */

export const COMPARISON_OPS = [
  'eq', 'neq', 'lt', 'lte', 'gt', 'gte',
  'in', 'nin',
  'contains', 'startsWith', 'endsWith',
  'isEmpty', 'isNotEmpty',
  'between',
  /** Relative date ranges: value is a RelativeDate. */
  'during',
  /** value is a whole number of days. */
  'inLastDays', 'inNextDays',
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export const RELATIVE_DATES = [
  'today', 'yesterday', 'tomorrow',
  'thisWeek', 'lastWeek', 'nextWeek',
  'thisMonth', 'lastMonth', 'nextMonth',
  'thisQuarter', 'lastQuarter', 'nextQuarter',
  'thisYear', 'lastYear', 'nextYear',
] as const;
export type RelativeDate = (typeof RELATIVE_DATES)[number];

export interface FilterCondition {
  /** A field name, a composite part (`address.city`) or a path through many-to-one relations (`company.industry`). */
  field: string;
  op: ComparisonOp;
  value?: unknown;
}

export type FilterGroup = { and: Filter[] } | { or: Filter[] } | { not: Filter };
export type Filter = FilterCondition | FilterGroup;

export const isCondition = (filter: Filter): filter is FilterCondition => 'field' in filter;

/** `lastName` ascending, `-createdAt` descending. */
export type SortSpec = string;

export const DATE_BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type DateBucket = (typeof DATE_BUCKETS)[number];

export type GroupBy = string | { field: string; bucket?: DateBucket; alias?: string };

export const AGGREGATE_OPS = ['count', 'sum', 'avg', 'min', 'max', 'countDistinct'] as const;
export type AggregateOp = (typeof AGGREGATE_OPS)[number];

export interface Metric {
  op: AggregateOp;
  /** Omitted for `count` of records. */
  field?: string;
  alias?: string;
  /**
   * sum, avg, min, max of a currency field: `default` converts each amount to the workspace's default currency at
   * the rate of its date, `none` adds the amounts as stored; overrides the query's `currency`.
   */
  currency?: 'default' | 'none';
}

export interface RecordQuery {
  filter?: Filter;
  sort?: SortSpec[];
  limit?: number;
  cursor?: string;
  fields?: string[];
  include?: string[];
  /**
   * Also return `totalCount`. `'estimate'`: for a whole table the caller reads entirely (no filter, every row
   * readable) of 10,000 records or more, the database's planner estimate, marked `totalCountIsEstimate`;
   * otherwise the exact count.
   */
  count?: boolean | 'estimate';
  /** Read the trash instead of live records. */
  deleted?: boolean;
  /** Only the records of this segment (its filter, or its members), ANDed with `filter`. */
  segment?: string;
}

export interface AggregateQuery {
  filter?: Filter;
  /** Only the records of this segment, ANDed with `filter`. */
  segment?: string;
  groupBy?: GroupBy[];
  metrics?: Metric[];
  sort?: SortSpec[];
  limit?: number;
  /**
   * `default`: sum, avg, min and max of currency fields convert each amount to the workspace's default currency at the
   * rate of its date (docs/reference/currency.md); the answer then names that `currency` and the amounts left out.
   */
  currency?: 'default' | 'none';
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;
