import { AppError } from '../errors.ts';
import type { FieldMeta, ObjectMeta } from '../metadata/types.ts';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

const asPgError = (error: unknown): PgError | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? (error as PgError) : undefined;

/**
 * Turns a unique violation raised by a record write into a 409 naming the field; other errors pass through.
 * The problem is the same whether the record holding the value is visible to the caller or not: it never
 * names that record (id, label or any other field). When the unique field is hidden from the caller
 * (`visible`: the object as they see it) the field and value are left out too.
 */
export const mapWriteError = (error: unknown, object: ObjectMeta, visible: ObjectMeta = object): unknown => {
  const pgError = asPgError(error);
  if (pgError?.code !== '23505') return error;
  const found = object.fields.find((f) => f.unique && pgError.constraint?.startsWith(`${object.table}_${f.column}`));
  const field = found && visible.fieldsByName.has(found.name) ? found : undefined;
  const name = field?.name ?? 'record';
  // The detail names the key's value only (the one being written), never the other row.
  // An encrypted field's key is its blind index: a hash that tells the caller nothing.
  const value = field && !field.options?.encrypted ? /=\((.*)\)/.exec(pgError.detail ?? '')?.[1] : undefined;
  return new AppError('UNIQUE_VIOLATION', `Another ${object.labelSingular.toLowerCase()} already has this ${field?.label.toLowerCase() ?? 'value'}${value ? ` (${value})` : ''}.`, {
    errors: [{ field: name, code: 'unique', message: `Already used by another record${value ? `: ${value}` : ''}.` }],
  });
};

/**
 * The 409 of a field that cannot be made unique because live records share a value (`shared`: how many values
 * are shared, when counted). It names the field, never the records or their values.
 */
export const sharedValuesError = (object: ObjectMeta, field: FieldMeta, shared?: number): AppError => {
  const what = shared === undefined ? 'some values are' : `${shared} value${shared === 1 ? ' is' : 's are'}`;
  const message = `${what[0]!.toUpperCase()}${what.slice(1)} held by more than one ${object.labelSingular.toLowerCase()}: make them distinct (or empty) first.`;
  return new AppError('UNIQUE_VIOLATION', `The field "${field.name}" of ${object.name} cannot be made unique: ${message}`, {
    errors: [{ field: field.name, code: 'unique', message }],
  });
};

/** A unique index build that met duplicates (records written since they were counted) as sharedValuesError; other errors pass through. */
export const mapUniqueIndexError = (error: unknown, object: ObjectMeta, field: FieldMeta): unknown =>
  asPgError(error)?.code === '23505' ? sharedValuesError(object, field) : error;
