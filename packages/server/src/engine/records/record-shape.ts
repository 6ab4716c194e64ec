import { SYSTEM_FIELDS } from '@rapport/common';
import type { FieldTypeHandler } from '../fields/field-type.ts';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { relationKind } from '../fields/types/relation.field.ts';
import { oncePerSnapshot, type FieldMeta, type ObjectMeta } from '../metadata/types.ts';

export type ApiRecord = Record<string, unknown> & { id: string; version: number; createdAt: string; updatedAt: string };

/** The record's title: its label field's text, or undefined when that is empty (callers choose what stands in). */
export const recordLabel = (object: ObjectMeta, record: Record<string, unknown>): string | undefined => {
  const label = record[object.labelField];
  return typeof label === 'string' && label !== '' ? label : undefined;
};

/** Fields stored on the record's own row (not oneToMany / manyToMany). */
export const isStoredField = (field: FieldMeta): boolean => field.type !== 'relation' || relationKind(field) === 'manyToOne';

/** The table columns of an object's stored fields, in field order. */
export const storedColumns = (object: ObjectMeta) => object.fields.filter(isStoredField).flatMap((field) => getFieldTypeHandler(field.type).columns(field));

/** A database row to the record as the API returns it. */
export const toApiRecord = (object: ObjectMeta, row: Record<string, unknown>, fields: readonly FieldMeta[] = object.fields): ApiRecord => {
  const record: Record<string, unknown> = {
    id: row.id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by ?? null,
    updatedBy: row.updated_by ?? null,
  };
  if (row.deleted_at) record.deletedAt = row.deleted_at;
  for (const { field, handler } of storedFieldsOf(fields)) record[field.name] = handler.fromDb(row, field);
  return record as ApiRecord;
};

// The stored fields of a field list (an object's `fields` or a view's) with their handlers.
const storedFieldsOf = oncePerSnapshot((fields: readonly FieldMeta[]): { field: FieldMeta; handler: FieldTypeHandler }[] =>
  fields.filter(isStoredField).map((field) => ({ field, handler: getFieldTypeHandler(field.type) })),
);

/** The keys of an API record that storedValues leaves out: system fields and links (fields not on the row). */
export const unstoredKeys = oncePerSnapshot((object: ObjectMeta): readonly string[] => [
  ...SYSTEM_FIELDS,
  ...object.fields.filter((field) => !isStoredField(field)).map((field) => field.name),
]);

/** Values of the stored fields only, for history, formulas and events. */
export const storedValues = (object: ObjectMeta, record: Record<string, unknown>): Record<string, unknown> => {
  const values: Record<string, unknown> = {};
  for (const { field } of storedFieldsOf(object.fields)) values[field.name] = record[field.name] ?? null;
  return values;
};

export const isSameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
