import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import { PARSE_LIMITS } from './expression-limits.ts';

/** The fields of a record variable an expression reads, or `all` when it uses the record as a whole. */
export type FieldReferences = ReadonlySet<string> | 'all';

// Parsing needs no declarations: one bare environment serves every expression.
const parser = new Environment({ enableOptionalTypes: true, limits: PARSE_LIMITS });
const cache = new Map<string, FieldReferences>();
const MAX_CACHED = 2000;

const isNode = (value: unknown): value is ASTNode => typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
const isVariable = (node: unknown, variable: string): boolean => isNode(node) && node.op === 'id' && node.args === variable;

/**
 * Which fields of `variable` (`record`) an expression reads: `record.x`, `record.?x`, `record["x"]`.
 * Any other use of the variable (passed whole to a macro or function) counts as reading every field,
 * and so does an expression that no longer parses: callers use this to hide what depends on hidden data.
 */
export const findReferencedFields = (expression: string, variable = 'record'): FieldReferences => {
  const key = `${variable}\u0000${expression}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let references: FieldReferences;
  try {
    references = collect(parser.parse(expression).ast, variable);
  } catch {
    references = 'all';
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, references);
  return references;
};

const collect = (root: ASTNode, variable: string): FieldReferences => {
  const names = new Set<string>();
  let readsAll = false;
  const visit = (value: unknown): void => {
    if (readsAll) return;
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    const args = value.args as unknown;
    if (Array.isArray(args) && isVariable(args[0], variable)) {
      const [, member] = args;
      if ((value.op === '.' || value.op === '.?') && typeof member === 'string') return void names.add(member);
      if ((value.op === '[]' || value.op === '[?]') && isNode(member) && member.op === 'value' && typeof member.args === 'string') return void names.add(member.args);
    }
    if (isVariable(value, variable)) {
      readsAll = true;
      return;
    }
    if (typeof args === 'object' && args !== null) visit(args);
  };
  visit(root);
  return readsAll ? 'all' : names;
};
