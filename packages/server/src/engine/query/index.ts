/**
 * The query compiler: one JSON filter/sort/aggregate language compiled to parameterised SQL.
 * JSON in → validated frozen nodes (parseFilter, parseSort, parseAggregateSpec) → SQL in one place
 * (compileFilterNode, compileOrderBy, compileKeysetBranches). Identifiers quoted, values bound.
 */
export { compileFilter, compileFilterNode, type CompileFilterNodeOptions, type CompileFilterOptions } from './compile-filter.ts';
export { parseFilter, MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, type ParseFilterOptions } from './parse-filter.ts';
export type { ConditionNode, FilterNode, Predicate } from './filter-node.ts';
export {
  assertOperatorSupported,
  getSupportedOperators,
  resolvePath,
  MAX_RELATION_HOPS,
  OPERATORS_BY_KIND,
  type RelationHop,
  type ResolvedCollection,
  type ResolvedOperand,
  type ResolvedPath,
} from './resolve-field.ts';
export { MAX_LIST_VALUES } from './predicate.ts';
export {
  getZonedStartOfDay,
  getZonedToday,
  resolveDayWindow,
  resolveRelativeDate,
  toColumnBounds,
  MAX_RELATIVE_DAYS,
  type DayRange,
} from './relative-dates.ts';
export { compileOrderBy, parseSort, DEFAULT_SORT, MAX_SORT_KEYS, type SortKey } from './sort.ts';
export { decodeCursor, encodeCursor, getSortSignature, type CursorValue } from './cursor.ts';
export { compileKeysetBranches, compileKeysetCondition } from './keyset.ts';
export {
  buildListQuery,
  resolveIncludedRelations,
  resolveSelectedFields,
  runListQuery,
  type ListQuery,
  type ListQueryOptions,
  type ListResult,
} from './list-query.ts';
export { ALL_ROWS, type RowMode, type RowScope } from './row-scope.ts';
export { buildAggregateQuery, runAggregate, type AggregateOptions, type AggregateResult } from './aggregate.ts';
export { DEFAULT_GROUP_LIMIT, MAX_GROUP_KEYS, MAX_GROUP_LIMIT, MAX_METRICS } from './aggregate-spec.ts';
