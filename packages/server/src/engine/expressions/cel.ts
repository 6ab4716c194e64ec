import { runWithClock, type EvaluateOptions } from './cel-clock.ts';
import { createExpressionEnvironment, signatureOf, type ExpressionEnvironment, type VariableSlot } from './cel-environment.ts';
import { toCompileError, toEvaluationError } from './cel-errors.ts';
import { fromCelValue, isAssignableResult, matchesResultType } from './cel-output.ts';
import { toCelValue, type CelType, type VariableType } from './cel-types.ts';
import { ExpressionError, type ExpressionErrorCode } from './expression-error.ts';
import { assertBoundedEvaluation, assertExpressionLength } from './expression-limits.ts';

export type { CelType, VariableType } from './cel-types.ts';
export type { EvaluateOptions } from './cel-clock.ts';
export { ExpressionError, type ExpressionErrorCode } from './expression-error.ts';

export interface CompileOptions {
  /** CEL source, at most 4000 characters. */
  expression: string;
  /** Declared variables: a type, or a record's fields and their types (`{ record: { amount: 'double' } }`). */
  variables: Readonly<Record<string, VariableType>>;
  /** The type the result must have (`bool` for rules); int is accepted where double is expected. */
  expectedType?: CelType;
}

export interface CompiledExpression {
  readonly expression: string;
  /** The checked result type as cel-js names it (`bool`, `double`, `google.protobuf.Timestamp`, `dyn`...). */
  readonly resultType: string;
  /**
   * Evaluates against `context` (one entry per declared variable; null records are allowed).
   * Returns plain JavaScript: numbers, strings, booleans, ISO strings for timestamps, arrays, objects.
   * @throws ExpressionError `missingValue` when an empty field is read, `evaluation` otherwise.
   */
  evaluate(context: Readonly<Record<string, unknown>>, options?: EvaluateOptions): unknown;
}

export type CheckResult = { ok: true } | { ok: false; code: ExpressionErrorCode; message: string; position?: number };

const MAX_CACHED_EXPRESSIONS = 2000;
const MAX_CACHED_ENVIRONMENTS = 200;
const compiledCache = new Map<string, CompiledExpression>();
const environmentCache = new Map<string, ExpressionEnvironment>();

/**
 * Compiles (parses and type-checks) a user expression once; the same rule on every write then
 * only evaluates. Compiled expressions are cached by expression, variables and expected type.
 * @throws ExpressionError `syntax`, `type`, `resultType` or `limit`.
 */
export const compileExpression = ({ expression, variables, expectedType }: CompileOptions): CompiledExpression => {
  const signature = signatureOf(variables);
  const key = `${signature}\u0000${expectedType ?? ''}\u0000${expression}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;

  if (expression.trim() === '') throw new ExpressionError({ code: 'syntax', message: 'The expression is empty.' });
  assertExpressionLength(expression);
  const environment = getEnvironment(signature, variables);
  let parsed: ReturnType<ExpressionEnvironment['env']['parse']>;
  try {
    parsed = environment.env.parse(expression);
  } catch (error) {
    throw toCompileError(error, expression);
  }
  assertBoundedEvaluation(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid || checked.type === undefined) throw toCompileError(checked.error, expression);
  if (expectedType && !isAssignableResult(expectedType, checked.type)) {
    throw new ExpressionError({
      code: 'resultType',
      message: `The expression must produce ${describeType(expectedType)}, but it produces ${describeType(checked.type)}.`,
    });
  }

  const compiled = createCompiledExpression({ expression, parsed, slots: environment.slots, resultType: checked.type, expectedType });
  remember(compiledCache, key, compiled, MAX_CACHED_EXPRESSIONS);
  return compiled;
};

/** Compiles without keeping the result: for metadata validation when a rule or formula is saved. */
export const checkExpression = (options: CompileOptions): CheckResult => {
  try {
    compileExpression(options);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return error.position === undefined
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: error.code, message: error.message, position: error.position };
  }
};

interface CreateCompiledOptions {
  expression: string;
  parsed: (context: Record<string, unknown>) => unknown;
  slots: VariableSlot[];
  resultType: string;
  expectedType: CelType | undefined;
}

const createCompiledExpression = ({ expression, parsed, slots, resultType, expectedType }: CreateCompiledOptions): CompiledExpression => {
  // Only results the checker could not type (dyn, list<dyn>) need a look at run time.
  const checkAtRunTime = expectedType !== undefined && expectedType !== 'dyn' && isAssignableResult(expectedType, resultType) && resultType.includes('dyn');
  const checkAgainst = checkAtRunTime ? expectedType : undefined;
  return {
    expression,
    resultType,
    evaluate(context, options) {
      let result: unknown;
      try {
        result = runWithClock(options, () => parsed(toCelContext(slots, context)));
      } catch (error) {
        throw toEvaluationError(error, expression);
      }
      if (result === null || result === undefined) {
        throw new ExpressionError({ code: 'missingValue', message: 'The expression produced no value (null).' });
      }
      if (checkAgainst && !matchesResultType(checkAgainst, result)) {
        throw new ExpressionError({ code: 'resultType', message: `The expression must produce ${describeType(checkAgainst)}.` });
      }
      return fromCelValue(result);
    },
  };
};

const toCelContext = (slots: VariableSlot[], context: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const celContext: Record<string, unknown> = {};
  for (const slot of slots) {
    const value = Object.hasOwn(context, slot.name) ? context[slot.name] : undefined;
    if (slot.kind === 'value') {
      // An empty variable stays out of the context: reading it fails as missingValue.
      const celValue = toCelValue(slot.type, value, slot.name);
      if (celValue !== undefined) celContext[slot.name] = celValue;
      continue;
    }
    if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      throw new ExpressionError({ code: 'evaluation', message: `"${slot.name}" should be a record.`, field: slot.name });
    }
    celContext[slot.name] = new slot.RecordClass((value ?? null) as Readonly<Record<string, unknown>> | null);
  }
  return celContext;
};

const getEnvironment = (signature: string, variables: Readonly<Record<string, VariableType>>): ExpressionEnvironment => {
  const cached = environmentCache.get(signature);
  if (cached) return cached;
  const environment = createExpressionEnvironment(variables);
  remember(environmentCache, signature, environment, MAX_CACHED_ENVIRONMENTS);
  return environment;
};

// Oldest-first eviction: Map keeps insertion order.
const remember = <T>(cache: Map<string, T>, key: string, value: T, limit: number): void => {
  if (cache.size >= limit) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
};

const TYPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  bool: 'true or false',
  double: 'a number',
  int: 'a whole number',
  string: 'text',
  timestamp: 'a date',
  'google.protobuf.Timestamp': 'a date',
  'google.protobuf.Duration': 'a duration',
  'list<string>': 'a list of text',
  list: 'a list',
  map: 'a map',
};

const describeType = (type: string): string => TYPE_DESCRIPTIONS[type] ?? `a value of type ${type}`;
