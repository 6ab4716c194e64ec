import type { FieldErrorCode } from '../errors.ts';

/** Why a value was rejected: a per-field code from FIELD_ERROR_CODES and a sentence for the user. */
export interface ValueFailure {
  ok: false;
  code: FieldErrorCode;
  message: string;
}

/** What every value validator returns: the normalized value, or why it was rejected. */
export type ValueResult<T> = { ok: true; value: T } | ValueFailure;

export const succeed = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const reject = (code: FieldErrorCode, message: string): ValueFailure => ({ ok: false, code, message });
