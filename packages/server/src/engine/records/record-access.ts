import type { FieldError } from '@rapport/common';
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../errors.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { ownerFieldOf } from '../permissions/row-rules.ts';

const CAN_READ = 'rapport_can_read';
const CAN_WRITE = 'rapport_can_write';

/**
 * `, <read condition> as rapport_can_read, <write condition> as rapport_can_write` for the rows the
 * write path locks: rows are looked up whatever the caller may see, then judged one by one, so an
 * invisible record answers 404 (as if missing) and a visible read-only one 403.
 */
export const accessColumns = (access: Access, object: ObjectMeta, alias: string): RawBuilder<unknown> => {
  const read = access.rows.predicate({ object, alias, mode: 'read' }) ?? sql`true`;
  const write = access.rows.predicate({ object, alias, mode: 'write' }) ?? sql`true`;
  return sql`, coalesce(${read}, false) as ${sql.id(CAN_READ)}, coalesce(${write}, false) as ${sql.id(CAN_WRITE)}`;
};

export const isReadableRow = (row: Record<string, unknown>): boolean => row[CAN_READ] === true;

/** RECORD_NOT_FOUND for a row the caller may not read, FORBIDDEN for one they may only read. */
export const assertWritableRow = (row: Record<string, unknown> | undefined, object: ObjectMeta, id: string): Record<string, unknown> => {
  if (!row || !isReadableRow(row)) throw new AppError('RECORD_NOT_FOUND', `No ${object.name} with id ${id}.`);
  if (row[CAN_WRITE] !== true) throw new AppError('FORBIDDEN', `The ${object.name} ${id} is shared with you read-only; you cannot change it.`);
  return row;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fields the caller's role makes read-only cannot be written: READ_ONLY_FIELD (400) naming each one.
 * Hidden fields are left to the input check, which reports them as unknown fields (their existence is not revealed).
 */
export const assertWritableFields = (options: { access: Access; object: ObjectMeta; records: unknown[]; isBatch: boolean }): void => {
  const { access, object, records, isBatch } = options;
  const errors: FieldError[] = [];
  records.forEach((input, index) => {
    if (!isPlainObject(input)) return;
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined || !object.fieldsByName.has(name) || access.fieldLevel(object.name, name) !== 'readOnly') continue;
      errors.push({ field: `${isBatch ? `records[${index}].` : ''}${name}`, code: 'readOnly', message: `Your role lets you see "${name}" but not change it.` });
    }
  });
  if (errors.length > 0) throw new AppError('READ_ONLY_FIELD', `Your role makes ${[...new Set(errors.map((e) => e.field.replace(/^records\[\d+\]\./, '')))].join(', ')} read-only; nothing was saved.`, { errors });
};

/** A record created by a user without an owner is theirs: otherwise an `own` role could not see what it just made. */
export const defaultOwnerColumn = (object: ObjectMeta, actorId: string | null, given: Record<string, unknown>): { column: string; name: string; value: string } | undefined => {
  const owner = ownerFieldOf(object);
  if (!owner || !actorId || owner.name in given) return undefined;
  return { column: owner.column, name: owner.name, value: actorId };
};
