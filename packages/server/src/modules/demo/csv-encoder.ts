import { getFieldTypeHandler } from '../../engine/fields/registry.ts';
import type { ToDbResult } from '../../engine/fields/field-type.ts';
import type { FieldMeta, ObjectMeta, WorkspaceMeta } from '../../engine/metadata/types.ts';
import { SEARCH_COLUMN } from '../../engine/metadata/system-fields.ts';
import { isStoredField } from '../../engine/records/record-shape.ts';
import { buildSearchEntry } from '../../engine/records/search-text.ts';

/** A record to load, in the API's shape: values exactly as a client would send them. */
export interface CsvRecord {
  id: string;
  createdAt: string;
  values: Record<string, unknown>;
}

/** Computes a formula field from the record's API values (the CEL engine is not used by the bulk load). */
export type FormulaComputer = (record: Record<string, unknown>) => unknown;

export interface ObjectCsvEncoder {
  /** `"schema"."table"`, ready for COPY. */
  table: string;
  columns: string[];
  /** The write path's conversion of one API value (memoised for the fields asked for). */
  convert(fieldName: string, value: unknown): ToDbResult;
  /** One CSV line, newline included; throws on a value the write path would refuse. */
  encode(record: CsvRecord): string;
}

export interface CreateObjectCsvEncoderOptions {
  workspace: WorkspaceMeta;
  object: ObjectMeta;
  formulas?: Record<string, FormulaComputer>;
  /** Fields whose conversions are cached by input (phones: parsing them is the costliest conversion). */
  memoizedFields?: string[];
  /** Collects the title words of the encoded records, for the typo dictionary. */
  typoWords?: Set<string>;
}

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

// PostgreSQL array literal, elements always quoted.
const toArrayLiteral = (items: unknown[]): string =>
  `{${items.map((item) => `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

/** COPY CSV cell: an unquoted empty cell is NULL, a quoted one is text (so "" stays an empty string). */
export const toCsvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot load the number ${value}.`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = Array.isArray(value) ? toArrayLiteral(value) : typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replace(/"/g, '""')}"`;
};

const MEMO_LIMIT = 200_000;

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

const isExpressionDefault = (value: unknown) => typeof value === 'object' && value !== null && 'expression' in value;

/**
 * Turns API records into COPY rows exactly as the write path would store them: every value goes
 * through its field handler's toDb, formulas and search_text are computed, required fields checked.
 * Validation rules (CEL) are not evaluated: the generators only produce values that satisfy the
 * standard objects' rules.
 */
export const createObjectCsvEncoder = ({ workspace, object, formulas = {}, memoizedFields = [], typoWords }: CreateObjectCsvEncoderOptions): ObjectCsvEncoder => {
  const stored = object.fields.filter(isStoredField);
  const written = stored.filter((field) => field.type !== 'formula');
  const formulaFields = stored.filter((field) => field.type === 'formula');
  for (const field of formulaFields) {
    if (!formulas[field.name]) throw new Error(`The demo seeder cannot compute the formula ${object.name}.${field.name}.`);
  }
  for (const field of written) {
    if (isExpressionDefault(field.defaultValue)) throw new Error(`The demo seeder cannot evaluate the default of ${object.name}.${field.name}.`);
  }
  const handlers = new Map(stored.map((field) => [field.name, getFieldTypeHandler(field.type)]));
  const fieldColumns = stored.flatMap((field) => handlers.get(field.name)!.columns(field).map((spec) => spec.column));
  const memos = new Map(memoizedFields.map((name) => [name, new Map<unknown, ToDbResult>()]));

  const convertField = (field: FieldMeta, value: unknown): ToDbResult => {
    const memo = memos.get(field.name);
    const cached = memo?.get(value);
    if (cached) return cached;
    const result = handlers.get(field.name)!.toDb(value, field, { workspace });
    if (memo) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(value, result);
    }
    return result;
  };

  return {
    table: `${quoteIdentifier(workspace.schema)}.${quoteIdentifier(object.table)}`,
    columns: ['id', 'created_at', 'updated_at', SEARCH_COLUMN, ...fieldColumns].map(quoteIdentifier),
    convert(fieldName, value) {
      const field = object.fieldsByName.get(fieldName);
      if (!field || !handlers.has(fieldName)) throw new Error(`${object.name} has no stored field "${fieldName}".`);
      return convertField(field, value);
    },
    encode({ id, createdAt, values }) {
      for (const name of Object.keys(values)) {
        if (!handlers.has(name)) throw new Error(`The demo seeder wrote an unknown field ${object.name}.${name}.`);
      }
      const columnValues: Record<string, unknown> = {};
      const record: Record<string, unknown> = {};
      for (const field of written) {
        // As on create: a field left out takes its default, an explicit null stays null.
        const value = (field.name in values ? values[field.name] : field.defaultValue) ?? null;
        // Every handler stores null as all-null columns; skipping the call changes nothing.
        if (value !== null) {
          const result = convertField(field, value);
          if (!result.ok) throw new Error(`Demo ${object.name}.${field.name} = ${JSON.stringify(value)}: ${result.error.message}`);
          Object.assign(columnValues, result.values);
          record[field.name] = handlers.get(field.name)!.fromDb(result.values, field);
        } else {
          record[field.name] = null;
        }
        if (field.required && isEmpty(record[field.name])) throw new Error(`Demo ${object.name}.${field.name} is required.`);
      }
      for (const field of formulaFields) {
        const value = formulas[field.name]!(record);
        record[field.name] = value;
        columnValues[field.column] = value;
      }
      const search = buildSearchEntry(object, record);
      if (typoWords) for (const word of search.typoWords) typoWords.add(word);
      let line = `${id},${createdAt},${createdAt},${toCsvCell(search.text)}`;
      for (const column of fieldColumns) line += `,${toCsvCell(columnValues[column])}`;
      return `${line}\n`;
    },
  };
};
