import type { FieldDefinition } from '@rapport/common';
import { valueKindOf } from '../../field-types/field-kind.ts';
import { isUuid, type MatchErrorCode, type MatchResult } from './paste-matches.ts';
import { referenceOf, referenceToText } from '../../field-types/reference-value.ts';
import { lookupKey, parsePastedValue, writableValueOf, type ObjectResolver, type PasteErrorCode, type PastedValue, type PasteLookup } from './paste-values.ts';

/** A cell of the table: the row's index among the loaded records, the column's among the visible data columns. */
export interface CellPoint {
  row: number;
  col: number;
}

/** A rectangle of cells: from where it started (anchor) to the cell with focus. */
export interface CellRange {
  anchor: CellPoint;
  focus: CellPoint;
}

export interface CellBounds {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export const boundsOf = ({ anchor, focus }: CellRange): CellBounds => ({
  top: Math.min(anchor.row, focus.row),
  bottom: Math.max(anchor.row, focus.row),
  left: Math.min(anchor.col, focus.col),
  right: Math.max(anchor.col, focus.col),
});

const clamp = (value: number, max: number) => Math.max(0, Math.min(max, value));

/** The range after an arrow key: the focus moves, and the anchor with it unless Shift extends the range. */
export const moveFocus = (range: CellRange, { rows, cols, extend }: { rows: number; cols: number; extend: boolean }, delta: CellPoint): CellRange => {
  const focus = { row: clamp(range.focus.row + delta.row, rows - 1), col: clamp(range.focus.col + delta.col, cols - 1) };
  return { anchor: extend ? range.anchor : focus, focus };
};

// Spreadsheets quote a cell holding a tab, a line break or a quote, doubling the quotes inside.
const quoteCell = (text: string) => (/[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** Rows of cells as tab-separated text, as spreadsheets put on the clipboard. */
/**
 * Items of a copied list cell (choices, related records) are joined by semicolons: names may hold commas
 * ("Acme, Inc."), and a paste splits on semicolons when there are any (paste-values.ts), as exports do.
 */
export const LIST_SEPARATOR = '; ';

export const toTsv = (grid: readonly (readonly string[])[]): string => grid.map((row) => row.map(quoteCell).join('\t')).join('\n');

/** Tab-separated text (from a spreadsheet or this table) as rows of cells; quoted cells may hold tabs and line breaks. */
export const parseTsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let isQuoted = false;
  let index = 0;
  const source = text.replace(/\r\n?/g, '\n');
  while (index < source.length) {
    const char = source[index]!;
    if (isQuoted) {
      if (char === '"' && source[index + 1] === '"') {
        cell += '"';
        index += 2;
        continue;
      }
      if (char === '"') isQuoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') isQuoted = true;
    else if (char === '\t') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
    index += 1;
  }
  // A trailing line break ends the last row; it starts no empty one.
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
};

/** What a cell copies: the text a spreadsheet (or this table's paste) reads back as the same value. */
export const cellText = (field: FieldDefinition, value: unknown, nameOf: (field: FieldDefinition, value: unknown) => string | undefined): string => {
  if (value === null || value === undefined) return '';
  const kind = valueKindOf(field);
  switch (kind) {
    case 'currency': {
      const money = value as { amount?: number; currency?: string };
      return money.amount === undefined || money.amount === null ? '' : [money.amount, money.currency].filter(Boolean).join(' ');
    }
    case 'select': {
      const choice = field.options?.choices?.find((candidate) => candidate.value === value);
      return choice?.label ?? String(value);
    }
    case 'multiSelect':
      return (Array.isArray(value) ? value : []).map((item) => field.options?.choices?.find((choice) => choice.value === item)?.label ?? String(item)).join(LIST_SEPARATOR);
    case 'boolean':
      return value === true ? 'true' : 'false';
    case 'richText':
      return String(value).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    case 'address': {
      // As the cell shows it, "street, postalCode city, region, country": what a paste reads back.
      const address = value as Record<string, unknown>;
      const part = (name: string) => (typeof address[name] === 'string' ? (address[name] as string) : '');
      return [part('street'), [part('postalCode'), part('city')].filter(Boolean).join(' '), part('region'), part('country')].filter(Boolean).join(', ');
    }
    case 'relation':
    case 'owner':
      return (Array.isArray(value) ? value : [value]).map((item) => nameOf(field, item) ?? '').filter(Boolean).join(LIST_SEPARATOR);
    case 'json':
      return JSON.stringify(value);
    case 'reference': {
      // "Person: Ada Lovelace" (what nameOf names it; a paste looks the title up), else `person:<id>`: both paste back.
      const reference = referenceOf(value);
      return reference ? (nameOf(field, value) ?? referenceToText(reference)) : '';
    }
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
};

export interface PasteTarget {
  id: string;
  version: number;
  values: Readonly<Record<string, unknown>>;
}

export interface PasteCellError {
  row: number;
  col: number;
  field: string;
  code: PasteErrorCode | string;
  /** The API's own sentence, when the server refused the value. */
  message?: string;
}

export interface PastePlan {
  /** One batch item per record: the new values, and the old ones for Undo. */
  updates: { id: string; version: number; values: Record<string, unknown>; previous: Record<string, unknown>; row: number }[];
  errors: PasteCellError[];
  /** Owner and relation cells whose names the API must find first (`applyLookups`). */
  lookups: { row: number; col: number; field: string; lookup: PasteLookup }[];
  /** The cells written (for the selection after a paste). */
  bounds: CellBounds;
}

/**
 * Where a block of pasted text goes: from the top-left cell of the range, one record per line and
 * one column per cell, within the loaded rows and visible columns. A single value fills the whole
 * selected range. Values that do not fit their field are errors; `editable` says which fields take
 * a value at all.
 */
export const planPaste = ({ grid, range, records, columns, editable, objectNamed }: {
  grid: readonly (readonly string[])[];
  range: CellRange;
  records: readonly PasteTarget[];
  /** The visible data columns, in order. */
  columns: readonly FieldDefinition[];
  editable: ReadonlySet<string>;
  /** The object a pasted reference names (`Person: …`). */
  objectNamed?: ObjectResolver;
}): PastePlan => {
  const bounds = boundsOf(range);
  const isSingle = grid.length === 1 && grid[0]!.length === 1;
  const height = isSingle ? bounds.bottom - bounds.top + 1 : grid.length;
  const width = isSingle ? bounds.right - bounds.left + 1 : Math.max(...grid.map((row) => row.length));
  const bottom = Math.min(records.length - 1, bounds.top + height - 1);
  const right = Math.min(columns.length - 1, bounds.left + width - 1);
  const updates: PastePlan['updates'] = [];
  const errors: PasteCellError[] = [];
  const lookups: PastePlan['lookups'] = [];
  for (let row = bounds.top; row <= bottom; row += 1) {
    const record = records[row]!;
    const values: Record<string, unknown> = {};
    const previous: Record<string, unknown> = {};
    for (let col = bounds.left; col <= right; col += 1) {
      const field = columns[col]!;
      const text = isSingle ? grid[0]![0]! : (grid[row - bounds.top]?.[col - bounds.left] ?? '');
      const parsed: PastedValue = editable.has(field.name) ? parsePastedValue(field, text, record.values[field.name], objectNamed) : { error: 'readOnly' };
      if ('error' in parsed) {
        errors.push({ row, col, field: field.name, code: parsed.error });
        continue;
      }
      const current = record.values[field.name] ?? null;
      previous[field.name] = writableValueOf(field, current);
      if ('lookup' in parsed) lookups.push({ row, col, field: field.name, lookup: parsed.lookup });
      else values[field.name] = parsed.value;
    }
    // A row whose cells wait for lookups gets its values from applyLookups.
    if (Object.keys(previous).length > 0) updates.push({ id: record.id, version: record.version, values, previous, row });
  }
  return { updates, errors, lookups, bounds: { top: bounds.top, left: bounds.left, bottom, right } };
};

/**
 * The plan once the API found (or did not find) the names of its owner and relation cells: each cell
 * gets its id (ids, for a list), or the reason it did not; rows left with nothing to write drop out.
 */
export const applyLookups = (plan: PastePlan, results: ReadonlyMap<string, MatchResult>): PastePlan => {
  const errors = [...plan.errors];
  const updates = plan.updates.map((update) => ({ ...update, values: { ...update.values }, previous: { ...update.previous } }));
  for (const { row, col, field, lookup } of plan.lookups) {
    const update = updates.find((candidate) => candidate.row === row)!;
    const found = lookup.texts.map((text): MatchResult => (isUuid(text) ? { id: text.trim().toLowerCase() } : (results.get(lookupKey(lookup, text)) ?? { error: lookup.kind === 'owner' ? 'unknownUser' : 'unknownRecord' })));
    const failed = found.find((result): result is { error: MatchErrorCode } => 'error' in result);
    if (failed) {
      errors.push({ row, col, field, code: failed.error });
      delete update.previous[field];
      continue;
    }
    const ids = found.map((result) => (result as { id: string }).id);
    update.values[field] = lookup.isReference ? { object: lookup.target, id: ids[0] } : lookup.isMultiple ? ids : ids[0];
  }
  return { ...plan, errors, lookups: [], updates: updates.filter((update) => Object.keys(update.values).length > 0) };
};

/** The cell an API error names: `records[2].email` of a batch is the third record's email. */
export const cellOfBatchError = (
  fieldPath: string,
  updates: PastePlan['updates'],
  columns: readonly FieldDefinition[],
): { row: number; col: number; field: string } | undefined => {
  const match = /^records\[(\d+)\]\.([^.[\]]+)/.exec(fieldPath);
  if (!match) return undefined;
  const update = updates[Number(match[1])];
  const col = columns.findIndex((field) => field.name === match[2]);
  if (!update) return undefined;
  return { row: update.row, col: col < 0 ? 0 : col, field: match[2]! };
};
