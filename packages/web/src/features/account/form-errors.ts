import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../api/problem-messages.ts';

export interface FormErrors {
  /** Messages by field name, shown next to the field. */
  byField: Record<string, string>;
  /** A message for the whole form (an alert above it), or null. */
  general: string | null;
}

/**
 * Turns a failed request into what a form shows: the API's per-field errors next to the fields the
 * form has, and everything else (other fields, or the problem itself) as one general message.
 */
export const formErrorsOf = (t: TFunction, language: string, error: unknown, fields: readonly string[]): FormErrors => {
  if (!isApiError(error) || error.fieldErrors.length === 0) return { byField: {}, general: problemMessage(t, error) };
  const split = splitFieldErrors(t, language, error.fieldErrors, new Set(fields));
  return { byField: split.byField, general: split.general.length ? split.general.join(' ') : null };
};

export const NO_ERRORS: FormErrors = { byField: {}, general: null };
