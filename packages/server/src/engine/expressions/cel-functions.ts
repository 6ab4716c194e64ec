import type { Environment } from '@marcbachmann/cel-js';
import { readNow, readToday } from './cel-clock.ts';
import { isRecordValue } from './record-value.ts';

const TIMESTAMP = 'google.protobuf.Timestamp';
const DAY_MS = 86_400_000;

/**
 * Registers the helpers a CRM admin reaches for. They are not in the CEL standard library;
 * docs for rule authors should list them.
 */
export const registerCrmFunctions = (env: Environment): Environment =>
  env
    .registerFunction(`now(): ${TIMESTAMP}`, readNow, { description: 'The current instant (one value per evaluation).' })
    .registerFunction(`today(): ${TIMESTAMP}`, readToday, { description: "Today's date in the workspace time zone, at midnight UTC like date fields." })
    .registerFunction(`daysBetween(${TIMESTAMP}, ${TIMESTAMP}): int`, countWholeDays, {
      description: 'Whole days from the first to the second timestamp; negative when the second is earlier.',
    })
    .registerFunction('lower(string): string', (text: string) => text.toLowerCase())
    .registerFunction('upper(string): string', (text: string) => text.toUpperCase())
    .registerFunction('string.lower(): string', (text: string) => text.toLowerCase())
    .registerFunction('string.upper(): string', (text: string) => text.toUpperCase())
    .registerFunction('isBlank(ast): bool', createIsBlankMacro);

// Whole elapsed days (truncated toward zero), so daysBetween(a, b) == -daysBetween(b, a).
const countWholeDays = (from: Date, to: Date): bigint => BigInt(Math.trunc((to.getTime() - from.getTime()) / DAY_MS));

interface MacroArguments {
  args: unknown[];
}

interface MacroChecker {
  check(node: unknown, context: unknown): unknown;
  getType(name: string): unknown;
}

interface MacroEvaluator {
  run(node: unknown, context: unknown): unknown;
}

// A macro rather than a function: a function's argument is evaluated first, so isBlank(record.x)
// would fail on the very empty field it is meant to detect.
const createIsBlankMacro = ({ args }: MacroArguments) => ({
  argument: args[0],
  typeCheck(checker: MacroChecker, macro: { argument: unknown }, context: unknown) {
    checker.check(macro.argument, context);
    return checker.getType('bool');
  },
  evaluate(evaluator: MacroEvaluator, macro: { argument: unknown }, context: unknown) {
    let value: unknown;
    try {
      value = evaluator.run(macro.argument, context);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'no_such_key' || code === 'unknown_variable') return true;
      throw error;
    }
    return isBlankValue(value);
  },
});

const isBlankValue = (value: unknown): boolean => {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (isRecordValue(value)) return value.isAbsent;
  if (value instanceof Set || value instanceof Map) return value.size === 0;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length === 0;
  return false;
};

/**
 * CEL refuses `double * int`, so `record.amount * 2` or `record.amount == 0` would not compile.
 * Admins write integer literals everywhere; mixed arithmetic and equality yield doubles.
 * (Mixed `<`, `>`… are already in cel-js.)
 */
export const registerMixedNumberOperators = (env: Environment): Environment => {
  const operations: Record<string, (left: number, right: number) => number> = {
    '+': (left, right) => left + right,
    '-': (left, right) => left - right,
    '*': (left, right) => left * right,
    '/': (left, right) => left / right,
  };
  for (const [operator, operate] of Object.entries(operations)) {
    env.registerOperator(`double ${operator} int: double`, (left: number, right: bigint) => operate(left, Number(right)));
    env.registerOperator(`int ${operator} double: double`, (left: bigint, right: number) => operate(Number(left), right));
  }
  // Registering == also registers int == double and both != (cel-js derives them).
  return env.registerOperator('double == int', (left: number, right: bigint) => left === Number(right));
};
