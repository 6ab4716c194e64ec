import { getFieldCipher, isEncryptedField } from '../crypto/field-keys.ts';
import { isSealedValue } from '../crypto/field-cipher.ts';
import { oncePerSnapshot, type FieldMeta, type ObjectMeta } from '../metadata/types.ts';

const isEmpty = (value: unknown) => value === null || value === undefined;

// Asked once per record written.
const hasEncryptedFields = oncePerSnapshot((object: ObjectMeta): boolean => object.fields.some(isEncryptedField));

/** An API value of a field as history and the outbox keep it: sealed when the field is encrypted. */
export const sealFieldValue = (field: FieldMeta | undefined, value: unknown): unknown =>
  field && isEncryptedField(field) && !isEmpty(value) ? getFieldCipher(field).seal(value) : value;

/** A record (or snapshot) with the values of its encrypted fields sealed; other keys as they are. */
export const sealEncryptedValues = <T extends Record<string, unknown>>(object: ObjectMeta, record: T): T => {
  if (!hasEncryptedFields(object)) return record;
  const sealed: Record<string, unknown> = { ...record };
  for (const field of object.fields) if (field.name in sealed) sealed[field.name] = sealFieldValue(field, sealed[field.name]);
  return sealed as T;
};

/** The reverse of sealFieldValue, for callers allowed to read the field. */
export const openFieldValue = (field: FieldMeta | undefined, value: unknown): unknown =>
  field && isEncryptedField(field) && isSealedValue(value) ? getFieldCipher(field).open(value) : value;

/** The reverse of sealEncryptedValues; keys that are not fields of `object` (hidden ones) are left as they are. */
export const openEncryptedValues = (object: ObjectMeta, value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !object.fields.some(isEncryptedField)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, openFieldValue(object.fieldsByName.get(key), item)]));
};
