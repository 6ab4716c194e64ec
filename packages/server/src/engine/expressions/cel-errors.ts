import { EvaluationError, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
import { ExpressionError } from './expression-error.ts';

interface CelErrorLike {
  code: string;
  summary: string;
  range?: { start: number; end: number };
}

const isCelError = (error: unknown): error is Error & CelErrorLike =>
  error instanceof ParseError || error instanceof CelTypeError || error instanceof EvaluationError;

/** Turns a parse or type-check error of cel-js into an ExpressionError with a readable message. */
export const toCompileError = (error: unknown, expression: string): ExpressionError => {
  if (error instanceof ExpressionError) return error;
  if (!isCelError(error)) throw error;
  const position = error.range?.start;
  if (error.code === 'limit_exceeded') {
    return new ExpressionError({ code: 'limit', message: `The expression is too complex: ${error.summary}.`, position, cause: error });
  }
  const kind = error instanceof ParseError ? 'Syntax error' : 'Type error';
  return new ExpressionError({
    code: error instanceof ParseError ? 'syntax' : 'type',
    message: `${kind}${describePosition(expression, position)}: ${rewordSummary(error.summary)}.`,
    position,
    cause: error,
  });
};

/** Turns a run-time failure into an ExpressionError; empty fields get their own code. */
export const toEvaluationError = (error: unknown, expression: string): ExpressionError => {
  if (error instanceof ExpressionError) return error;
  if (!isCelError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ExpressionError({ code: 'evaluation', message: `Evaluation failed: ${message}`, cause: error });
  }
  const position = error.range?.start;
  const missing = /^(?:No such key|Unknown variable): (.+)$/.exec(error.summary)?.[1];
  if ((error.code === 'no_such_key' || error.code === 'unknown_variable') && missing !== undefined) {
    const path = position === undefined ? missing : `${readReceiverPath(expression, position)}${missing}`;
    return new ExpressionError({ code: 'missingValue', message: `${path} is empty.`, position, field: missing, cause: error });
  }
  return new ExpressionError({
    code: 'evaluation',
    message: `Evaluation error${describePosition(expression, position)}: ${rewordSummary(error.summary)}.`,
    position,
    cause: error,
  });
};

// "record." in front of "amount", so the message names record.amount rather than amount alone.
const readReceiverPath = (expression: string, position: number): string =>
  /(?:[A-Za-z_]\w*\??\.)+$/.exec(expression.slice(Math.max(0, position - 200), position))?.[0].replaceAll('?', '') ?? '';

const describePosition = (expression: string, position: number | undefined): string => {
  if (position === undefined) return '';
  const before = expression.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return line === 1 ? ` at column ${column}` : ` at line ${line}, column ${column}`;
};

// The library speaks to CEL implementers; these are the messages admins meet most.
const REWORDINGS: [RegExp, (...groups: string[]) => string][] = [
  [/^Unexpected token: EOF$/, () => 'the expression ends too early'],
  [/^No such key: (.+)$/, (name) => `unknown field "${name}"`],
  [/^Unknown variable: (.+)$/, (name) => `unknown name "${name}"`],
  [/^no such overload: (\S+) (\S+) (\S+)$/, (left, op, right) => `operator ${op} cannot be applied to ${left} and ${right}`],
  [/^found no matching overload for '(.+)'$/, (call) => `no function matches ${call}`],
];

const rewordSummary = (summary: string): string => {
  const friendly = summary.replaceAll('google.protobuf.Timestamp', 'timestamp').replaceAll('google.protobuf.Duration', 'duration');
  for (const [pattern, reword] of REWORDINGS) {
    const match = pattern.exec(friendly);
    if (match) return reword(...match.slice(1));
  }
  return friendly;
};
