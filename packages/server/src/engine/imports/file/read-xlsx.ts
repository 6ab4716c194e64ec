import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { alignCells, isBlankRecord, normaliseHeaders } from './headers.ts';
import { ImportFileError, type ImportByteSource, type ImportRow } from './types.ts';

const toReadable = (source: ImportByteSource): Readable => (source instanceof Readable ? source : Readable.from(source as AsyncIterable<Buffer>, { objectMode: false }));

// exceljs's own test for a date number format: date/time letters outside quotes and [colour] blocks.
const isDateFormat = (format: string | undefined) => !!format && /[ymdhsb]/i.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
// Excel dates have no time zone: exceljs reads them as UTC, so the UTC parts are the wall-clock parts.
const isoOfDate = (date: Date): string => {
  if (Number.isNaN(date.getTime())) return '';
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const hasTime = date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() + date.getUTCMilliseconds() > 0;
  return hasTime ? `${day}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` : day;
};
// Serial day numbers (1900 system) for formula results shown as dates.
const dateOfSerial = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A cell as text: numbers in their string form, dates as ISO, rich text as plain text, formulas as their cached result. */
export const cellText = (value: unknown, numberFormat?: string): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numberFormat) ? isoOfDate(dateOfSerial(value)) : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoOfDate(value);
  if (!isObject(value)) return String(value);
  if (Array.isArray(value.richText)) return value.richText.map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : '')).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result, numberFormat);
  if ('error' in value) return String(value.error);
  if ('text' in value) return cellText(value.text, numberFormat);
  return '';
};

interface StreamedRow {
  eachCell(options: { includeEmpty: boolean }, callback: (cell: { value: unknown; numFmt?: string }, column: number) => void): void;
}

const rowTexts = (row: StreamedRow): string[] => {
  const texts: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    while (texts.length < column - 1) texts.push('');
    texts[column - 1] = cellText(cell.value, cell.numFmt);
  });
  return texts;
};

/** Rows of the first worksheet, streamed: the header row is the first non-empty one. */
async function* readXlsxRecords(source: ImportByteSource): AsyncGenerator<string[]> {
  const input = toReadable(source);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<StreamedRow>) yield rowTexts(row);
      return;
    }
  } catch (error) {
    throw new ImportFileError('unreadableFile', `The file could not be read as an XLSX workbook: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
}

/** The header row of an XLSX file (its first non-empty row), normalised; [] when the first sheet is empty. */
export const readXlsxHeaders = async (source: ImportByteSource): Promise<string[]> => {
  for await (const record of readXlsxRecords(source)) if (!isBlankRecord(record)) return normaliseHeaders(record);
  return [];
};

/** Streams the data rows of an XLSX file's first worksheet, aligned to `headers` (read from the file when empty). */
export async function* readXlsxRows(source: ImportByteSource, headers: readonly string[], skipRows: number): AsyncGenerator<ImportRow> {
  let headerCount: number | null = null;
  let rowNumber = 0;
  for await (const record of readXlsxRecords(source)) {
    if (isBlankRecord(record)) continue;
    if (headerCount === null) {
      headerCount = headers.length > 0 ? headers.length : normaliseHeaders(record).length;
      continue;
    }
    rowNumber++;
    if (rowNumber <= skipRows) continue;
    yield { rowNumber, ...alignCells(record, headerCount, rowNumber) };
  }
}
