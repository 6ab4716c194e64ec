import { COMPARISON_OPS, type ComparisonOp } from '@rapport/common';
import { invalidQuery } from '../errors.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { freezeNode, type ConditionNode, type FilterNode } from './filter-node.ts';
import { buildPredicate } from './predicate.ts';
import { resolvePath } from './resolve-field.ts';

/** Groups (`and`, `or`, `not`) nest at most this deep. */
export const MAX_FILTER_DEPTH = 10;
/** Conditions a filter may hold in all. */
export const MAX_FILTER_CONDITIONS = 200;

export interface ParseFilterOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  /** The filter as received (JSON): its shape is checked here. */
  filter: unknown;
  /** The moment relative dates are resolved at; defaults to the current time. */
  now?: Date;
}

interface ParseState {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  now: Date;
  conditions: number;
}

const CONDITION_KEYS: ReadonlySet<string> = new Set(['field', 'op', 'value']);
const GROUP_KEYS = ['and', 'or', 'not'] as const;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fail = (location: string, problem: string) => invalidQuery(`Invalid filter at ${location}: ${problem}`);

const parseCondition = (node: Record<string, unknown>, location: string, state: ParseState): ConditionNode => {
  for (const key of Object.keys(node)) {
    if (!CONDITION_KEYS.has(key)) throw fail(location, `unknown key "${key}"; a condition has field, op and value.`);
  }
  const { field, op, value } = node;
  if (typeof field !== 'string' || field === '') throw fail(location, '"field" must be a non-empty string.');
  if (op === undefined) throw fail(location, `missing "op" for field "${field}".`);
  if (typeof op !== 'string' || !(COMPARISON_OPS as readonly string[]).includes(op)) {
    throw fail(location, `unknown operator ${JSON.stringify(op)}; expected one of ${COMPARISON_OPS.join(', ')}.`);
  }
  state.conditions += 1;
  if (state.conditions > MAX_FILTER_CONDITIONS) throw invalidQuery(`The filter has more than ${MAX_FILTER_CONDITIONS} conditions.`);
  const path = resolvePath({ workspace: state.workspace, object: state.object, path: field });
  const { predicate, negated } = buildPredicate({ path, op: op as ComparisonOp, value, timeZone: state.workspace.timezone, now: state.now });
  return freezeNode({ type: 'condition', path, predicate, negated } as ConditionNode);
};

const parseNode = (node: unknown, location: string, depth: number, state: ParseState): FilterNode => {
  if (!isPlainObject(node)) throw fail(location, 'expected an object: a condition {field, op, value} or a group {and}, {or}, {not}.');
  const group = GROUP_KEYS.find((key) => Object.hasOwn(node, key));
  if (group === undefined) return parseCondition(node, location, state);
  const extra = Object.keys(node).find((key) => key !== group);
  if (extra !== undefined) throw fail(location, `unexpected key "${extra}" beside "${group}"; a group has exactly one key.`);
  if (depth >= MAX_FILTER_DEPTH) throw invalidQuery(`The filter nests groups more than ${MAX_FILTER_DEPTH} deep.`);
  const content = node[group];
  if (group === 'not') return freezeNode({ type: 'not', child: parseNode(content, `${location}.not`, depth + 1, state) });
  if (!Array.isArray(content)) throw fail(location, `"${group}" must be a list of filters.`);
  const children = Object.freeze(content.map((child, index) => parseNode(child, `${location}.${group}[${index}]`, depth + 1, state)));
  return freezeNode({ type: group, children });
};

/**
 * Checks a filter received as JSON and returns its validated, frozen tree.
 * An empty `and` matches every record; an empty `or` matches none.
 */
export const parseFilter = ({ workspace, object, filter, now = new Date() }: ParseFilterOptions): FilterNode =>
  parseNode(filter, 'filter', 0, { workspace, object, now, conditions: 0 });
