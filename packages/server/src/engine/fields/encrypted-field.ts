import type { FieldType } from '@rapport/common';
import { getFieldCipher, isEncryptedField } from '../crypto/field-keys.ts';
import type { FieldMeta } from '../metadata/types.ts';
import type { ColumnSpec, FieldTypeHandler, WriteContext } from './field-type.ts';

/** The types whose values may be encrypted at rest (`options.encrypted`). */
export const ENCRYPTABLE_TYPES: readonly FieldType[] = ['text', 'longText', 'email', 'phone', 'number', 'date', 'datetime'];

/** Single email and phone fields keep a blind index: equality filters, `unique` and `upsertOn` work on it. */
export const hasBlindIndex = (field: Pick<FieldMeta, 'type' | 'options'>): boolean =>
  isEncryptedField(field) && (field.type === 'email' || field.type === 'phone') && field.options?.multiple !== true;

// Two underscores: a column derived from a lowerCamelCase field name never has them, so no field can take it.
export const blindIndexColumn = (field: FieldMeta): string => `${field.column}__bidx`;

// Email and phone normalisation reads no workspace setting.
const NO_CONTEXT = {} as WriteContext;

/**
 * Wraps a type's handler so that a field with `options.encrypted` stores ciphertext in a `text` column
 * (plus its blind index first, when it has one: the first column is the one unique indexes and upserts use).
 * The type's own checks run first on the plain value; reads open the value, then hand it to the type.
 */
export const withEncryption = (base: FieldTypeHandler): FieldTypeHandler => ({
  ...base,
  columns(field) {
    if (!isEncryptedField(field)) return base.columns(field);
    const sealed: ColumnSpec = { column: field.column, sqlType: 'text' };
    return hasBlindIndex(field) ? [{ column: blindIndexColumn(field), sqlType: 'text', index: 'btree' }, sealed] : [sealed];
  },
  toDb(value, field, context) {
    const result = base.toDb(value, field, context);
    if (!result.ok || !isEncryptedField(field)) return result;
    const plain = result.values[field.column];
    const isEmpty = plain === null || plain === undefined;
    const cipher = isEmpty ? undefined : getFieldCipher(field);
    const values: Record<string, unknown> = { [field.column]: cipher ? cipher.seal(plain) : null };
    if (hasBlindIndex(field)) values[blindIndexColumn(field)] = cipher ? cipher.blindIndex(String(plain)) : null;
    return { ok: true, values };
  },
  fromDb(row, field) {
    if (!isEncryptedField(field)) return base.fromDb(row, field);
    const sealed = row[field.column];
    return base.fromDb({ [field.column]: typeof sealed === 'string' ? getFieldCipher(field).open(sealed) : null }, field);
  },
  operand(field, part) {
    const operand = base.operand(field, part);
    if (!operand || !isEncryptedField(field)) return operand;
    if (!hasBlindIndex(field)) return { column: field.column, kind: 'text', encryption: {} };
    const blindIndex = (value: string) => {
      // The filter value is normalised as a stored one would be; one that is not valid matches nothing.
      const normalized = base.toDb(value, field, NO_CONTEXT);
      const plain = normalized.ok ? normalized.values[field.column] : value;
      return getFieldCipher(field).blindIndex(String(plain));
    };
    return { column: blindIndexColumn(field), kind: 'text', encryption: { blindIndex } };
  },
});
