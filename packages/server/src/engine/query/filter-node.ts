import type { ResolvedCollection, ResolvedOperand } from './resolve-field.ts';

/**
 * The positive test of a condition on one value. Each user operator maps to one of these,
 * possibly negated: `neq` is the complement of `eq`, `nin` of `in`, `isEmpty` of `notEmpty`.
 * Values are validated and ready to bind.
 */
export type Predicate =
  | { test: 'eq'; value: unknown }
  | { test: 'in'; values: readonly unknown[] }
  | { test: 'compare'; operator: '<' | '<=' | '>' | '>='; value: unknown }
  /** Inclusive at both ends (`between`). */
  | { test: 'between'; low: unknown; high: unknown }
  /** Half-open `[start, end)` (relative dates). */
  | { test: 'range'; start: unknown; end: unknown }
  /** Case-insensitive LIKE; the pattern has `\`, `%` and `_` of the user's text escaped. */
  | { test: 'like'; pattern: string }
  | { test: 'notEmpty' }
  /** textArray: holds every one of `values`. */
  | { test: 'arrayContains'; values: readonly string[] }
  /** textArray: holds at least one of `values`. */
  | { test: 'arrayOverlaps'; values: readonly string[] }
  /** json: a list holding every one of `values` (JSON containment, `@>`). */
  | { test: 'jsonContains'; values: readonly unknown[] }
  /** Collections: at least one live linked record, among `ids` when given. */
  | { test: 'linked'; ids?: readonly string[] };

export type ConditionNode =
  | { type: 'condition'; path: ResolvedOperand; predicate: Predicate; negated: boolean }
  | { type: 'condition'; path: ResolvedCollection; predicate: Extract<Predicate, { test: 'linked' }>; negated: boolean };

/**
 * A validated filter: frozen nodes, every path resolved, every value checked.
 * A condition matches a record or not — never "unknown": `not` is the exact complement.
 */
export type FilterNode =
  | { type: 'and'; children: readonly FilterNode[] }
  | { type: 'or'; children: readonly FilterNode[] }
  | { type: 'not'; child: FilterNode }
  | ConditionNode;

export const freezeNode = <T extends FilterNode>(node: T): T => Object.freeze(node);

export const isCollectionCondition = (
  node: ConditionNode,
): node is Extract<ConditionNode, { path: ResolvedCollection }> => node.path.type === 'collection';
