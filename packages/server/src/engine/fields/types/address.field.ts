import { ADDRESS_PARTS, type AddressPart } from '@rapport/common';
import { normalizeCountry } from '@rapport/common/values/index';
import type { FieldMeta } from '../../metadata/types.ts';
import { fail, nullable, type ColumnSpec, type FieldTypeHandler, type ScalarKind } from '../field-type.ts';

const SNAKE: Record<AddressPart, string> = {
  street: 'street',
  city: 'city',
  postalCode: 'postal_code',
  region: 'region',
  country: 'country',
  lat: 'lat',
  lng: 'lng',
};
// Column names per field, worked out once: a batch reads and writes thousands of addresses.
const columnsByPrefix = new Map<string, Record<AddressPart, string>>();
const partColumns = (field: FieldMeta): Record<AddressPart, string> => {
  let columns = columnsByPrefix.get(field.column);
  if (!columns) {
    columns = Object.fromEntries(ADDRESS_PARTS.map((part) => [part, `${field.column}_${SNAKE[part]}`])) as Record<AddressPart, string>;
    columnsByPrefix.set(field.column, columns);
  }
  return columns;
};
const partColumn = (field: FieldMeta, part: AddressPart) => partColumns(field)[part];
const isPart = (part: string): part is AddressPart => (ADDRESS_PARTS as readonly string[]).includes(part);
const isNumeric = (part: AddressPart) => part === 'lat' || part === 'lng';
const INDEXED: AddressPart[] = ['city', 'postalCode', 'region', 'country'];

export const addressField: FieldTypeHandler = {
  type: 'address',
  columns: (field) =>
    ADDRESS_PARTS.map(
      (part): ColumnSpec => ({
        column: partColumn(field, part),
        sqlType: isNumeric(part) ? 'double precision' : 'text',
        index: INDEXED.includes(part) ? 'btree' : undefined,
      }),
    ),
  toDb(value, field) {
    const columns = partColumns(field);
    const values: Record<string, unknown> = {};
    for (const part of ADDRESS_PARTS) values[columns[part]] = null;
    if (value === null) return { ok: true, values };
    if (typeof value !== 'object' || Array.isArray(value)) return fail('invalidType', `Expected an object with ${ADDRESS_PARTS.join(', ')}.`);
    for (const [part, partValue] of Object.entries(value as Record<string, unknown>)) {
      if (!isPart(part)) return fail('invalidType', `Unknown address part "${part}"; expected ${ADDRESS_PARTS.join(', ')}.`);
      if (partValue === null || partValue === undefined || partValue === '') continue;
      if (isNumeric(part)) {
        const limit = part === 'lat' ? 90 : 180;
        if (typeof partValue !== 'number' || Math.abs(partValue) > limit) return fail('invalidType', `${part} must be a number between -${limit} and ${limit}.`);
        values[columns[part]] = partValue;
        continue;
      }
      if (typeof partValue !== 'string') return fail('invalidType', `${part} must be a string.`);
      if (partValue.length > 500) return fail('tooLong', `${part}: at most 500 characters.`);
      if (part === 'country') {
        const country = normalizeCountry(partValue);
        if (!country.ok) return fail('invalidCountry', country.message);
        values[columns[part]] = country.value;
        continue;
      }
      values[columns[part]] = partValue.trim();
    }
    return { ok: true, values };
  },
  fromDb(row, field) {
    const columns = partColumns(field);
    const address: Record<string, unknown> = {};
    let isEmpty = true;
    for (const part of ADDRESS_PARTS) {
      const value = row[columns[part]] ?? null;
      if (value !== null) isEmpty = false;
      address[part] = value;
    }
    return isEmpty ? null : address;
  },
  operand(field, part) {
    if (part === undefined || !isPart(part)) return undefined;
    const kind: ScalarKind = isNumeric(part) ? 'number' : 'text';
    return { column: partColumn(field, part), kind };
  },
  jsonSchema: () =>
    nullable({
      type: 'object',
      properties: Object.fromEntries(
        ADDRESS_PARTS.map((part) => [
          part,
          isNumeric(part)
            ? { type: ['number', 'null'] }
            : { type: ['string', 'null'], ...(part === 'country' ? { description: 'ISO 3166-1 alpha-2 code' } : {}) },
        ]),
      ),
      additionalProperties: false,
    }),
  searchTerms: (value) => {
    if (!value || typeof value !== 'object') return [];
    const { city } = value as { city?: string };
    return city ? [city] : [];
  },
};

export const addressColumn = partColumn;
