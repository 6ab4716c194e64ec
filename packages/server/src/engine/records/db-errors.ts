import { AppError } from '../errors.ts';
import type { ObjectMeta } from '../metadata/types.ts';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

const asPgError = (error: unknown): PgError | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? (error as PgError) : undefined;

/** Turns a unique violation raised by a record write into a 409 naming the field; other errors pass through. */
export const mapWriteError = (error: unknown, object: ObjectMeta): unknown => {
  const pgError = asPgError(error);
  if (pgError?.code !== '23505') return error;
  const field = object.fields.find((f) => f.unique && pgError.constraint?.startsWith(`${object.table}_${f.column}`));
  const name = field?.name ?? 'record';
  const value = /=\((.*)\)/.exec(pgError.detail ?? '')?.[1];
  return new AppError('UNIQUE_VIOLATION', `Another ${object.labelSingular.toLowerCase()} already has this ${field?.label.toLowerCase() ?? 'value'}${value ? ` (${value})` : ''}.`, {
    errors: [{ field: name, code: 'unique', message: `Already used by another record${value ? `: ${value}` : ''}.` }],
  });
};
