import type { ASTNode, Limits } from '@marcbachmann/cel-js';
import { ExpressionError } from './expression-error.ts';
import { findRegexHazard } from './regex-safety.ts';

export const MAX_EXPRESSION_LENGTH = 4000;

/** Parser limits: far above any rule an admin writes, far below what could stall a write. */
export const PARSE_LIMITS: Partial<Limits> = {
  maxAstNodes: 1500,
  maxDepth: 32,
  maxListElements: 200,
  maxMapEntries: 200,
  maxCallArguments: 16,
};

// CEL has no loops, but each nested macro multiplies the work by a list's length.
const MAX_MACRO_NESTING = 2;
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

const tooComplex = (message: string, position?: number): ExpressionError => new ExpressionError({ code: 'limit', message, position });

export const assertExpressionLength = (expression: string): void => {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw tooComplex(`The expression is too long: ${expression.length} characters, at most ${MAX_EXPRESSION_LENGTH}.`);
  }
};

/** Refuses what parses and type-checks but could run away: deep macro nesting, risky regexes. */
export const assertBoundedEvaluation = (ast: ASTNode): void => visit(ast, 0);

const visit = (node: ASTNode, macroDepth: number): void => {
  let depth = macroDepth;
  if (node.op === 'rcall') {
    const name = node.args[0];
    if (MACROS.has(name) && ++depth > MAX_MACRO_NESTING) {
      throw tooComplex(`Macros such as all(), exists() and map() can be nested at most ${MAX_MACRO_NESTING} deep.`, node.start);
    }
    if (name === 'matches') assertSafePattern(node);
  }
  for (const child of childrenOf(node)) visit(child, depth);
};

const assertSafePattern = (node: ASTNode & { op: 'rcall' }): void => {
  const pattern = node.args[2][0];
  if (pattern?.op !== 'value' || typeof pattern.args !== 'string') {
    throw tooComplex('matches() needs its pattern written as a string literal, such as "^[A-Z]{3}$".', pattern?.start ?? node.start);
  }
  const hazard = findRegexHazard(pattern.args);
  if (hazard) throw tooComplex(`The pattern of matches() ${hazard}.`, pattern.start);
};

const childrenOf = (node: ASTNode): ASTNode[] => {
  const children: ASTNode[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (isNode(value)) children.push(value);
  };
  if (typeof node.args === 'object' && node.args !== null) collect(node.args);
  return children;
};

const isNode = (value: unknown): value is ASTNode => typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
