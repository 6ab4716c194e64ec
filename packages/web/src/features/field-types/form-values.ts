import type { FieldDefinition } from '@rapport/common';
import { valueKindOf } from './field-kind.ts';
import { referenceOf, soleTargetOf } from './reference-value.ts';

export interface MoneyFormValue {
  amount: number | '';
  currency: string;
}

export type AddressFormValue = Record<'street' | 'city' | 'postalCode' | 'region' | 'country', string>;

/** A reference being edited: the object chosen first, then one of its records (either may still be empty). */
export interface ReferenceFormValue {
  object: string;
  id: string;
}

/** What a form holds for one field while a person edits it. */
export type FormValue = string | number | boolean | string[] | MoneyFormValue | AddressFormValue | ReferenceFormValue | null;

const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country'] as const;

/** Thrown by toApiValue when the text typed cannot become a value (e.g. malformed JSON). */
export class FormValueError extends Error {
  constructor(readonly code: 'invalidJson' | 'invalidNumber') {
    super(code);
  }
}

const isMultiple = (field: FieldDefinition) => field.type === 'multiSelect' || field.options?.kind === 'manyToMany' || Boolean(field.options?.multiple);

const idOf = (value: unknown): string => (typeof value === 'string' ? value : value && typeof value === 'object' && 'id' in value ? String(value.id) : '');

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the `YYYY-MM-DDTHH:mm` of a datetime-local input, in the browser's time zone. */
export const toLocalDateTime = (iso: string): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** The form's value for an API value. */
export const toFormValue = (field: FieldDefinition, value: unknown): FormValue => {
  const kind = valueKindOf(field);
  if (isMultiple(field)) return Array.isArray(value) ? value.map((item) => (kind === 'relation' ? idOf(item) : String(item))) : value ? [String(value)] : [];
  switch (kind) {
    case 'number':
    case 'percent':
    case 'rating':
      return typeof value === 'number' ? value : '';
    case 'boolean':
      return value === true;
    case 'currency': {
      const money = (value ?? {}) as { amount?: number; currency?: string };
      return { amount: typeof money.amount === 'number' ? money.amount : '', currency: money.currency ?? field.options?.defaultCurrency ?? '' };
    }
    case 'address': {
      const address = (value ?? {}) as Record<string, unknown>;
      return Object.fromEntries(ADDRESS_PARTS.map((part) => [part, typeof address[part] === 'string' ? address[part] : ''])) as AddressFormValue;
    }
    case 'datetime':
      return typeof value === 'string' ? toLocalDateTime(value) : '';
    case 'relation':
      return idOf(value);
    case 'reference': {
      // `{object, id}`, or `{object, id, record}` read with include; empty starts on the field's only object, if it has one.
      const reference = referenceOf(value);
      return reference ? { object: reference.object, id: reference.id } : { object: soleTargetOf(field) ?? '', id: '' };
    }
    case 'json':
      return value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
    default:
      return value === null || value === undefined ? '' : String(value);
  }
};

/** The API's value for what the form holds; empty input is null (an empty list for lists). */
export const toApiValue = (field: FieldDefinition, value: FormValue): unknown => {
  const kind = valueKindOf(field);
  if (isMultiple(field)) return Array.isArray(value) ? value.filter((item) => item !== '') : [];
  switch (kind) {
    case 'number':
    case 'percent':
    case 'rating':
      if (value === '' || value === null) return null;
      if (typeof value === 'number') return value;
      if (!Number.isFinite(Number(value))) throw new FormValueError('invalidNumber');
      return Number(value);
    case 'boolean':
      return value === true;
    case 'currency': {
      const money = value as MoneyFormValue;
      if (money.amount === '' || money.amount === null || money.amount === undefined) return null;
      const currency = money.currency.trim().toUpperCase();
      return currency ? { amount: Number(money.amount), currency } : { amount: Number(money.amount) };
    }
    case 'address': {
      const address = value as AddressFormValue;
      const parts = Object.fromEntries(ADDRESS_PARTS.filter((part) => address[part]?.trim()).map((part) => [part, address[part].trim()]));
      return Object.keys(parts).length ? parts : null;
    }
    case 'datetime': {
      if (typeof value !== 'string' || value === '') return null;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date.toISOString();
    }
    case 'reference': {
      // An object chosen without a record is no value yet.
      const reference = value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<ReferenceFormValue>) : {};
      const object = typeof reference.object === 'string' ? reference.object.trim() : '';
      const id = typeof reference.id === 'string' ? reference.id.trim().toLowerCase() : '';
      return object && id ? { object, id } : null;
    }
    case 'json': {
      if (typeof value !== 'string' || value.trim() === '') return null;
      try {
        return JSON.parse(value);
      } catch {
        throw new FormValueError('invalidJson');
      }
    }
    default:
      return typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value;
  }
};

const isEmptyApiValue = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0);

/**
 * The body of a create (fields with a value: the others get their defaults) or an update (only the
 * fields that changed since the record was read).
 */
export const buildRecordBody = ({
  fields,
  values,
  initial,
}: {
  fields: FieldDefinition[];
  values: Record<string, FormValue>;
  /** The form values the record had when it was read; absent for a create. */
  initial?: Record<string, FormValue>;
}): { body: Record<string, unknown>; invalid: Record<string, FormValueError['code']> } => {
  const body: Record<string, unknown> = {};
  const invalid: Record<string, FormValueError['code']> = {};
  for (const field of fields) {
    try {
      const value = toApiValue(field, values[field.name] ?? null);
      if (initial) {
        const before = toApiValue(field, initial[field.name] ?? null);
        if (JSON.stringify(before) !== JSON.stringify(value)) body[field.name] = value;
      } else if (!isEmptyApiValue(value)) {
        body[field.name] = value;
      }
    } catch (error) {
      if (error instanceof FormValueError) invalid[field.name] = error.code;
      else throw error;
    }
  }
  return { body, invalid };
};
