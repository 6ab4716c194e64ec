import type { FieldDefinition } from '@rapport/common';
import { valueKindOf } from '../../field-types/field-kind.ts';

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

/** Why a pasted text does not fit a field (translated under `tableExtras.range.errors`). */
export type PasteErrorCode = 'invalidNumber' | 'invalidDate' | 'invalidChoice' | 'invalidBoolean' | 'readOnly' | 'notPasteable';

export type PastedValue = { value: unknown } | { error: PasteErrorCode };

const TRUE_WORDS = new Set(['true', 'yes', '1', 'x', 'y', 'oui', 'ja', 'да', '是']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'n', 'non', 'nein', 'нет', '否']);

const toNumber = (text: string): number | undefined => {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  // "1,5" is a decimal comma; "1,234.5" has a thousands separator.
  const normal = compact.includes('.') ? compact.replace(/,/g, '') : compact.replace(',', '.');
  const number = Number(normal.replace(/%$/, ''));
  return normal !== '' && Number.isFinite(number) ? number : undefined;
};

const choiceOf = (field: FieldDefinition, text: string) => {
  const wanted = text.trim().toLowerCase();
  return field.options?.choices?.find((choice) => choice.value.toLowerCase() === wanted || choice.label.toLowerCase() === wanted)?.value;
};

const splitItems = (text: string) => text.split(/[,;]/).map((part) => part.trim()).filter(Boolean);

/**
 * The API value for text pasted into a cell of `field`, or why it does not fit. `current` is the
 * cell's value now: a pasted amount keeps the record's currency.
 */
export const parsePastedValue = (field: FieldDefinition, text: string, current?: unknown): PastedValue => {
  const trimmed = text.trim();
  const kind = valueKindOf(field);
  if (field.type === 'formula' || field.isReadOnly) return { error: 'readOnly' };
  switch (kind) {
    case 'text':
    case 'longText':
      return { value: trimmed === '' ? null : text.replace(/^\s+|\s+$/g, '') };
    case 'email':
    case 'phone':
    case 'url':
      if (field.options?.multiple) return { value: splitItems(trimmed) };
      return { value: trimmed === '' ? null : trimmed };
    case 'number':
    case 'percent':
    case 'rating': {
      if (trimmed === '') return { value: null };
      const number = toNumber(trimmed);
      return number === undefined ? { error: 'invalidNumber' } : { value: number };
    }
    case 'currency': {
      if (trimmed === '') return { value: null };
      const code = /(^|\s)([A-Za-z]{3})(\s|$)/.exec(trimmed)?.[2]?.toUpperCase();
      const amount = toNumber(trimmed.replace(/(^|\s)[A-Za-z]{3}(\s|$)/, ' ').replace(/[€$£¥₽]/g, ''));
      if (amount === undefined) return { error: 'invalidNumber' };
      const currency = code ?? (current as { currency?: string } | null | undefined)?.currency ?? field.options?.defaultCurrency;
      return { value: currency ? { amount, currency } : { amount } };
    }
    case 'boolean': {
      const word = trimmed.toLowerCase();
      if (word === '' || FALSE_WORDS.has(word)) return { value: false };
      return TRUE_WORDS.has(word) ? { value: true } : { error: 'invalidBoolean' };
    }
    case 'date': {
      if (trimmed === '') return { value: null };
      const day = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(trimmed)?.[1];
      return day && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? { value: day } : { error: 'invalidDate' };
    }
    case 'datetime': {
      if (trimmed === '') return { value: null };
      const time = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
      return Number.isNaN(time) ? { error: 'invalidDate' } : { value: new Date(time).toISOString() };
    }
    case 'select': {
      if (trimmed === '') return { value: null };
      const choice = choiceOf(field, trimmed);
      return choice === undefined ? { error: 'invalidChoice' } : { value: choice };
    }
    case 'multiSelect': {
      const values = splitItems(trimmed).map((item) => choiceOf(field, item));
      return values.some((value) => value === undefined) ? { error: 'invalidChoice' } : { value: values };
    }
    case 'richText':
    case 'relation':
    case 'owner':
    case 'address':
    case 'json':
      return { error: 'notPasteable' };
    default:
      return kind satisfies never;
  }
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
      return (Array.isArray(value) ? value : []).map((item) => field.options?.choices?.find((choice) => choice.value === item)?.label ?? String(item)).join(', ');
    case 'boolean':
      return value === true ? 'true' : 'false';
    case 'richText':
      return String(value).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    case 'address':
      return Object.values(value as Record<string, unknown>).filter((part) => typeof part === 'string' && part !== '').join(', ');
    case 'relation':
    case 'owner':
      return (Array.isArray(value) ? value : [value]).map((item) => nameOf(field, item) ?? '').filter(Boolean).join(', ');
    case 'json':
      return JSON.stringify(value);
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
  /** The cells written (for the selection after a paste). */
  bounds: CellBounds;
}

/**
 * Where a block of pasted text goes: from the top-left cell of the range, one record per line and
 * one column per cell, within the loaded rows and visible columns. A single value fills the whole
 * selected range. Values that do not fit their field are errors; `editable` says which fields take
 * a value at all.
 */
export const planPaste = ({ grid, range, records, columns, editable }: {
  grid: readonly (readonly string[])[];
  range: CellRange;
  records: readonly PasteTarget[];
  /** The visible data columns, in order. */
  columns: readonly FieldDefinition[];
  editable: ReadonlySet<string>;
}): PastePlan => {
  const bounds = boundsOf(range);
  const isSingle = grid.length === 1 && grid[0]!.length === 1;
  const height = isSingle ? bounds.bottom - bounds.top + 1 : grid.length;
  const width = isSingle ? bounds.right - bounds.left + 1 : Math.max(...grid.map((row) => row.length));
  const bottom = Math.min(records.length - 1, bounds.top + height - 1);
  const right = Math.min(columns.length - 1, bounds.left + width - 1);
  const updates: PastePlan['updates'] = [];
  const errors: PasteCellError[] = [];
  for (let row = bounds.top; row <= bottom; row += 1) {
    const record = records[row]!;
    const values: Record<string, unknown> = {};
    const previous: Record<string, unknown> = {};
    for (let col = bounds.left; col <= right; col += 1) {
      const field = columns[col]!;
      const text = isSingle ? grid[0]![0]! : (grid[row - bounds.top]?.[col - bounds.left] ?? '');
      const parsed: PastedValue = editable.has(field.name) ? parsePastedValue(field, text, record.values[field.name]) : { error: 'readOnly' };
      if ('error' in parsed) {
        errors.push({ row, col, field: field.name, code: parsed.error });
        continue;
      }
      values[field.name] = parsed.value;
      previous[field.name] = record.values[field.name] ?? null;
    }
    if (Object.keys(values).length > 0) updates.push({ id: record.id, version: record.version, values, previous, row });
  }
  return { updates, errors, bounds: { top: bounds.top, left: bounds.left, bottom, right } };
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
