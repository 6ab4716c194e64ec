import { normalizePhone } from '@rapport/common/values/phone';
import type { FieldError } from '../../api/types.ts';

export const TELEPHONY_PROVIDERS = ['rapport', 'twilio'] as const;
export type TelephonyProvider = (typeof TELEPHONY_PROVIDERS)[number];

/** The server's shortest secret (telephony-settings.ts, MIN_SECRET_LENGTH). */
export const MIN_SECRET_LENGTH = 16;
export const MAX_SECRET_LENGTH = 500;
const MAX_LINE_LENGTH = 100;

/** `GET/PUT /api/v1/telephony/settings` (telephony.schemas.ts, settingsSchema). */
export interface TelephonySettings {
  isConfigured: boolean;
  provider: TelephonyProvider | null;
  hasSecret: boolean;
  /** `…1234`: the secret itself is never returned. */
  secretHint: string | null;
  webhookUrl: string | null;
  lines: Record<string, string>;
  defaultCountry: string | null;
  updatedAt: string | null;
}

/** The body of `PUT /api/v1/telephony/settings` (settingsBody). */
export interface TelephonySettingsBody {
  provider: TelephonyProvider;
  secret?: string;
  lines: Record<string, string>;
  defaultCountry: string | null;
  rotateWebhookToken?: boolean;
}

export interface LineRow {
  /** Stable across edits, for React and for the row's errors. */
  id: string;
  line: string;
  userId: string | null;
}

export interface TelephonyForm {
  provider: TelephonyProvider;
  /** Empty: the stored secret is kept. */
  secret: string;
  defaultCountry: string | null;
  lines: LineRow[];
}

/** What the form checks before sending; the page turns each code into a sentence. */
export type FormErrorCode = 'secretRequired' | 'secretTooShort' | 'secretTooLong' | 'lineRequired' | 'lineTooLong' | 'userRequired' | 'duplicateLine';

export interface TelephonyFormErrors {
  secret?: FormErrorCode | string;
  /** By row id, about its number or extension: a code of the form's own checks, or the server's message. */
  lines: Record<string, FormErrorCode | string>;
  /** By row id, about its user. */
  users: Record<string, FormErrorCode | string>;
  /** Field errors for no field the form shows. */
  general: string[];
}

let nextRowId = 0;
export const newLineRow = (line = '', userId: string | null = null): LineRow => ({ id: `line-${++nextRowId}`, line, userId });

/** A line as the server keys it (toLineKey): a number in E.164, anything else (an extension) trimmed and lower-cased. */
export const lineKeyOf = (value: string, defaultCountry: string | null): string => {
  const phone = normalizePhone(value, defaultCountry ?? undefined);
  return phone.ok ? phone.value : value.trim().toLowerCase();
};

/** Whether a line reads as a phone number (else it is an extension). */
export const isPhoneLine = (value: string, defaultCountry: string | null): boolean => normalizePhone(value, defaultCountry ?? undefined).ok;

/** The form for the settings as stored, lines sorted; a workspace without any starts with the generic format and one empty line. */
export const formOf = (settings: TelephonySettings | undefined): TelephonyForm => {
  // In a stable order (numbers, `+…`, before extensions), whatever order the stored object has.
  const lines = Object.entries(settings?.lines ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([line, userId]) => newLineRow(line, userId));
  return {
    provider: settings?.provider ?? 'rapport',
    secret: '',
    defaultCountry: settings?.defaultCountry ?? null,
    lines: lines.length > 0 ? lines : [newLineRow()],
  };
};

/** A row left entirely empty is not a line (the empty row a new form starts with). */
const isBlank = (row: LineRow) => row.line.trim() === '' && !row.userId;

/** The form's own checks, the server's limits: nothing is sent while one fails. */
export const checkForm = (form: TelephonyForm, hasSecret: boolean): TelephonyFormErrors => {
  const errors: TelephonyFormErrors = { lines: {}, users: {}, general: [] };
  if (form.secret === '' && !hasSecret) errors.secret = 'secretRequired';
  else if (form.secret !== '' && form.secret.length < MIN_SECRET_LENGTH) errors.secret = 'secretTooShort';
  else if (form.secret.length > MAX_SECRET_LENGTH) errors.secret = 'secretTooLong';
  const seen = new Set<string>();
  for (const row of form.lines) {
    if (isBlank(row)) continue;
    if (row.line.trim() === '') errors.lines[row.id] = 'lineRequired';
    else if (row.line.trim().length > MAX_LINE_LENGTH) errors.lines[row.id] = 'lineTooLong';
    else if (!row.userId) errors.users[row.id] = 'userRequired';
    else {
      const key = lineKeyOf(row.line, form.defaultCountry);
      if (seen.has(key)) errors.lines[row.id] = 'duplicateLine';
      seen.add(key);
    }
  }
  return errors;
};

export const hasErrors = (errors: TelephonyFormErrors) => Boolean(errors.secret) || Object.keys(errors.lines).length > 0 || Object.keys(errors.users).length > 0 || errors.general.length > 0;

/**
 * The PUT body: every line keyed as the server stores it (so its field errors, `lines.<key>`, name a row), the secret
 * only when one was typed (else the stored one stays), lines and country always (an emptied table clears them).
 */
export const bodyOf = (form: TelephonyForm): TelephonySettingsBody => {
  const lines: Record<string, string> = {};
  for (const row of form.lines) if (!isBlank(row) && row.userId) lines[lineKeyOf(row.line, form.defaultCountry)] = row.userId;
  return { provider: form.provider, ...(form.secret !== '' ? { secret: form.secret } : {}), lines, defaultCountry: form.defaultCountry };
};

/** The server's field errors of a failed save, placed on the form: `lines.<key>` on the row with that key (an unknown member on its user), the rest as they come. */
export const serverErrorsOf = (form: TelephonyForm, fieldErrors: FieldError[], messageOf: (error: FieldError) => string): TelephonyFormErrors => {
  const errors: TelephonyFormErrors = { lines: {}, users: {}, general: [] };
  for (const error of fieldErrors) {
    const message = messageOf(error);
    if (error.field === 'secret') errors.secret = message;
    else if (error.field.startsWith('lines.')) {
      const key = error.field.slice('lines.'.length);
      const row = form.lines.find((each) => !isBlank(each) && lineKeyOf(each.line, form.defaultCountry) === key);
      if (row) (error.code === 'relationNotFound' ? errors.users : errors.lines)[row.id] = message;
      else errors.general.push(message);
    } else errors.general.push(message);
  }
  return errors;
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// Private-use, reserved, withdrawn and grouping codes name no country of today.
const NOT_COUNTRIES = new Set(['AA', 'ZZ', 'FX', 'EU', 'EZ', 'UN', 'QO', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA', 'UK', 'SU', 'DD', 'YU', 'CS', 'ZR', 'TP', 'BU', 'NT', 'AN']);

/** The countries (ISO 3166 alpha-2), named in `language` from the browser's own Intl data, sorted by name. */
export const countryOptions = (language: string): { value: string; label: string }[] => {
  const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
  const options: { value: string; label: string }[] = [];
  for (const first of LETTERS) {
    for (const second of LETTERS) {
      const code = `${first}${second}`;
      if (NOT_COUNTRIES.has(code) || /^(Q[M-Z]|X[A-Z])$/.test(code)) continue;
      const name = names.of(code);
      if (name && name !== code) options.push({ value: code, label: `${name} (${code})` });
    }
  }
  const collator = new Intl.Collator(language);
  return options.sort((a, b) => collator.compare(a.label, b.label));
};
