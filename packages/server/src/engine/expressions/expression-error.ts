/**
 * Why an expression was refused or failed. Compile-time codes (`syntax`, `type`, `resultType`,
 * `limit`) mean the expression must be fixed; run-time codes depend on the record.
 */
export type ExpressionErrorCode =
  /** The text is not valid CEL (or is empty). */
  | 'syntax'
  /** Valid CEL that does not type-check: an unknown field or function, or mismatched operand types. */
  | 'type'
  /** The expression produces another type than the one its use needs (e.g. a rule that is not bool). */
  | 'resultType'
  /** Too long, too deeply nested, too many nested macros, or a regular expression that could run away. */
  | 'limit'
  /** At run time: the expression read a field or variable that is empty (null or absent). */
  | 'missingValue'
  /** At run time: any other failure (division by zero, bad input value, non-finite result...). */
  | 'evaluation';

export interface ExpressionErrorOptions {
  code: ExpressionErrorCode;
  message: string;
  position?: number;
  field?: string;
  cause?: unknown;
}

/** A short, user-facing error about an expression; `message` is meant to be shown as is. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly code: ExpressionErrorCode;
  /** Zero-based offset of the problem in the expression, when known. */
  readonly position: number | undefined;
  /** missingValue: the empty field (or variable) the expression needed. */
  readonly field: string | undefined;

  constructor({ code, message, position, field, cause }: ExpressionErrorOptions) {
    super(message, { cause });
    this.code = code;
    this.position = position;
    this.field = field;
  }
}

export const isExpressionError = (error: unknown): error is ExpressionError => error instanceof ExpressionError;
