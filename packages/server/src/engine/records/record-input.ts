import type { FieldError } from '@rapport/common';
import { SYSTEM_FIELDS } from '@rapport/common';
import { getFieldTypeHandler } from '../fields/registry.ts';
import { isUuid, relationKind } from '../fields/types/relation.field.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { evaluateDefault } from './record-expressions.ts';
import { isStoredField } from './record-shape.ts';

export interface PreparedInput {
  /** Column values to write (only the fields present in the input, plus defaults on create). */
  columns: Record<string, unknown>;
  /** manyToMany links to replace, by field name. */
  links: Map<string, string[]>;
  /** The API values given (after normalisation), by field name. */
  values: Record<string, unknown>;
  /** A client-chosen id (create) or the target id (batch update). */
  id?: string;
  /** `version` in a batch item: the update applies only to that version (like If-Match). */
  expectedVersion?: number;
  errors: FieldError[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface PrepareInputOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  input: unknown;
  /** Prefix of error paths, e.g. `records[3].` in a batch. */
  path?: string;
}

/** Checks and converts one record body: unknown fields, read-only fields and per-type validation. */
export const prepareInput = ({ workspace, object, input, path = '' }: PrepareInputOptions): PreparedInput => {
  const prepared: PreparedInput = { columns: {}, links: new Map(), values: {}, errors: [] };
  const error = (field: string, code: string, message: string) => prepared.errors.push({ field: `${path}${field}`, code, message });
  if (!isPlainObject(input)) {
    error(path ? path.replace(/\.$/, '') : 'body', 'invalidType', 'Expected a JSON object of field values.');
    return prepared;
  }
  for (const [name, value] of Object.entries(input)) {
    if (name === 'id') {
      if (!isUuid(value)) error('id', 'invalidType', 'An id is a UUID.');
      else prepared.id = value.toLowerCase();
      continue;
    }
    if (name === 'version' && typeof value === 'number' && Number.isInteger(value)) {
      prepared.expectedVersion = value;
      continue;
    }
    if ((SYSTEM_FIELDS as readonly string[]).includes(name)) {
      error(name, 'readOnly', `${name} is set by Rapport.`);
      continue;
    }
    const field = object.fieldsByName.get(name);
    if (!field) {
      error(name, 'unknownField', `${object.labelSingular} has no field "${name}".`);
      continue;
    }
    if (value === undefined) continue;
    if (field.isReadOnly || field.type === 'formula') {
      error(name, 'readOnly', field.type === 'formula' ? 'A formula is computed; it cannot be written.' : `"${name}" is set from the other side of the relation.`);
      continue;
    }
    const result = getFieldTypeHandler(field.type).toDb(value, field, { workspace });
    if (!result.ok) {
      error(name, result.error.code, result.error.message);
      continue;
    }
    Object.assign(prepared.columns, result.values);
    if (result.links) prepared.links.set(field.name, result.links);
    prepared.values[name] = result.links ?? getFieldTypeHandler(field.type).fromDb(result.values, field);
  }
  return prepared;
};

/** Fills the defaults of the fields a new record was not given. */
export const applyDefaults = (options: { workspace: WorkspaceMeta; object: ObjectMeta; prepared: PreparedInput; path?: string }): void => {
  const { workspace, object, prepared, path = '' } = options;
  const error = (field: string, code: string, message: string) => prepared.errors.push({ field: `${path}${field}`, code, message });
  for (const field of object.fields) {
    if (field.defaultValue === undefined || field.name in prepared.values || !isStoredField(field) || field.type === 'formula') continue;
    const value = evaluateDefault(field);
    const result = getFieldTypeHandler(field.type).toDb(value, field, { workspace });
    if (!result.ok) {
      error(field.name, result.error.code, `Default value: ${result.error.message}`);
      continue;
    }
    Object.assign(prepared.columns, result.values);
    prepared.values[field.name] = getFieldTypeHandler(field.type).fromDb(result.values, field);
  }
};

const isEmptyValue = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Required fields of the merged record (stored fields and manyToMany links). */
export const checkRequired = (object: ObjectMeta, record: Record<string, unknown>, links: Map<string, string[]>, path = ''): FieldError[] =>
  object.fields
    .filter((field: FieldMeta) => field.required && field.type !== 'formula')
    .filter((field) => (relationKind(field) === 'manyToMany' && field.type === 'relation' ? isEmptyValue(links.get(field.name)) && isEmptyValue(record[field.name]) : isStoredField(field) && isEmptyValue(record[field.name])))
    .map((field) => ({ field: `${path}${field.name}`, code: 'required', message: `${field.label} is required.` }));
