import type { TFunction } from 'i18next';
import { ApiError } from './client.ts';
import type { FieldError } from './types.ts';

// Codes with a message of their own in every language; any other problem shows the server's detail.
const PROBLEM_CODES = [
  'NETWORK', 'UNAUTHENTICATED', 'TOTP_REQUIRED', 'TOTP_INVALID', 'FORBIDDEN', 'ACCOUNT_DEACTIVATED', 'CSRF_TOKEN_INVALID',
  'SIGN_UP_CLOSED', 'OBJECT_NOT_FOUND', 'RECORD_NOT_FOUND', 'ROUTE_NOT_FOUND', 'ALREADY_EXISTS', 'UNIQUE_VIOLATION', 'CONFLICT',
  'VERSION_MISMATCH', 'VALIDATION_FAILED', 'READ_ONLY_FIELD', 'SEAT_LIMIT_REACHED', 'RATE_LIMITED', 'INTERNAL', 'UNAVAILABLE',
] as const;

const FIELD_CODES = [
  'required', 'unknownField', 'readOnly', 'invalidType', 'invalidFormat', 'invalidEmail', 'invalidPhone', 'invalidUrl',
  'invalidCurrency', 'invalidCountry', 'invalidDate', 'invalidChoice', 'tooLong', 'tooSmall', 'tooLarge', 'unique', 'relationNotFound',
  // A reference to a record of an object its field may not point to (`options.targets`).
  'invalidTarget',
  // A deal's stage rules (pipeline module).
  'requiredByStage', 'stageNotInPipeline',
] as const;

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** A sentence for a person about a failed request, in the interface language. */
export const problemMessage = (t: TFunction, error: unknown): string => {
  if (error instanceof ApiError) {
    if (isOneOf(PROBLEM_CODES, error.code)) return t(`problems.${error.code}`);
    return error.message;
  }
  return t('problems.INTERNAL');
};

/**
 * The message shown next to a field. English shows the server's own message (it names limits and
 * formats precisely); other languages a translation of its code. Messages of validation rules are
 * written by the workspace and shown as they are.
 */
export const fieldErrorMessage = (t: TFunction, language: string, error: FieldError): string => {
  if (language.startsWith('en') || !isOneOf(FIELD_CODES, error.code)) return error.message;
  return t(`fieldErrors.${error.code}`);
};

/**
 * Per-field messages keyed by the field's name (`address.city` → `address`); the rest are general. `ownMessage`
 * words the codes a screen knows better itself (a booking page's `invalidHours`), in every language.
 */
export const splitFieldErrors = (
  t: TFunction,
  language: string,
  errors: FieldError[],
  fieldNames: ReadonlySet<string>,
  ownMessage?: (error: FieldError) => string | undefined,
): { byField: Record<string, string>; general: string[] } => {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors) {
    const name = error.field.split(/[.[]/)[0] ?? '';
    const message = ownMessage?.(error) ?? fieldErrorMessage(t, language, error);
    if (fieldNames.has(name)) byField[name] = byField[name] ? `${byField[name]} ${message}` : message;
    else general.push(message);
  }
  return { byField, general };
};
