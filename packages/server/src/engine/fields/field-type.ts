import type { FieldError, FieldType } from '@rapport/common';
import type { FieldMeta, WorkspaceMeta } from '../metadata/types.ts';

/** What a filter, sort or aggregate sees of a stored value. */
export type ScalarKind = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'textArray' | 'json';

export interface ColumnSpec {
  column: string;
  /** SQL type, e.g. `text`, `numeric`, `uuid references ...` is never put here: constraints come from the DDL builder. */
  sqlType: string;
  /** btree index `(column, id)` for sort and filter; gin for arrays. */
  index?: 'btree' | 'gin';
}

/** A filterable, sortable part of a field: the whole value, or one part of a composite. */
export interface Operand {
  column: string;
  kind: ScalarKind;
  /** For select: the allowed values (filters are checked against them). */
  choices?: string[];
  /**
   * An encrypted field: `column` holds ciphertext (or, with `blindIndex`, the blind index), so only
   * emptiness — and equality through the blind index — can be asked of it.
   */
  encryption?: { blindIndex?: (value: string) => string };
}

export interface WriteContext {
  workspace: WorkspaceMeta;
}

export type ToDbResult =
  | { ok: true; values: Record<string, unknown>; /** manyToMany: the ids to link, replacing the current links. */ links?: string[] }
  | { ok: false; error: Omit<FieldError, 'field'> };

export interface FieldTypeHandler {
  type: FieldType;
  /** Physical columns of the field on its object's table; none for virtual fields. */
  columns(field: FieldMeta): ColumnSpec[];
  /** A JSON value from the API (never undefined; null clears) to column values, or a field error. */
  toDb(value: unknown, field: FieldMeta, context: WriteContext): ToDbResult;
  /** Column values of a row back to the API value. */
  fromDb(row: Record<string, unknown>, field: FieldMeta): unknown;
  /** The operand for `field` (part undefined) or `field.part`. */
  operand(field: FieldMeta, part?: string): Operand | undefined;
  /** JSON Schema of the API value (for OpenAPI and clients). */
  jsonSchema(field: FieldMeta): Record<string, unknown>;
  /** Words fed to global search (names, emails, phones, domains). */
  searchTerms?(value: unknown, field: FieldMeta): string[];
  /** Searchable by default (names, emails, phones, urls). */
  isSearchableByDefault?: boolean;
}

export const fail = (code: string, message: string): ToDbResult => ({ ok: false, error: { code, message } });
export const single = (field: FieldMeta, value: unknown): ToDbResult => ({ ok: true, values: { [field.column]: value } });
export const nullable = (schema: Record<string, unknown>): Record<string, unknown> => ({ anyOf: [schema, { type: 'null' }] });
