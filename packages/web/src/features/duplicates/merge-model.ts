import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import type { ApiRecord } from '../../api/types.ts';
import { referenceOf } from '../field-types/reference-value.ts';
import { formFieldsOf, relationKindOf } from '../object-record/metadata.ts';

/** Which record's value a field keeps, by record id. */
export type MergeChoices = Record<string, string>;

export const isEmptyValue = (value: unknown): boolean => {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).every(isEmptyValue);
  return false;
};

/** A relation read with `include` is a record, a reference `{object, id, record}`; the API takes the id, `{object, id}`. */
export const toApiValue = (field: FieldDefinition, value: unknown): unknown => {
  if (relationKindOf(field) === 'manyToOne' && value && typeof value === 'object' && 'id' in value) return (value as { id: unknown }).id;
  if (field.type === 'reference') return referenceOf(value) ?? null;
  return value ?? null;
};

const isSame = (field: FieldDefinition, a: unknown, b: unknown) => JSON.stringify(toApiValue(field, a) ?? null) === JSON.stringify(toApiValue(field, b) ?? null);

/** Fields offered on the merge screen: those of the form; many-to-many links move to the survivor by themselves. */
export const mergeableFieldsOf = (object: ObjectDefinition): FieldDefinition[] => formFieldsOf(object).filter((field) => relationKindOf(field) !== 'manyToMany');

/** Fields whose two values differ: the ones worth a choice. */
export const differingFields = (fields: readonly FieldDefinition[], a: ApiRecord, b: ApiRecord): Set<string> =>
  new Set(fields.filter((field) => !isSame(field, a[field.name], b[field.name])).map((field) => field.name));

/** The survivor's value where it has one, else the other record's. */
export const defaultChoices = (fields: readonly FieldDefinition[], survivor: ApiRecord, other: ApiRecord): MergeChoices =>
  Object.fromEntries(fields.map((field) => [field.name, isEmptyValue(survivor[field.name]) && !isEmptyValue(other[field.name]) ? other.id : survivor.id]));

/** The values to write on the survivor: only fields taking the other record's (different) value. */
export const mergeValuesOf = (fields: readonly FieldDefinition[], choices: MergeChoices, survivor: ApiRecord, other: ApiRecord): Record<string, unknown> =>
  Object.fromEntries(
    fields
      .filter((field) => choices[field.name] === other.id && !isSame(field, survivor[field.name], other[field.name]))
      .map((field) => [field.name, toApiValue(field, other[field.name])]),
  );
