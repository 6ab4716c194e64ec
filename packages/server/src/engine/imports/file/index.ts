import { readCsvRows } from './read-csv.ts';
import { readXlsxHeaders, readXlsxRows } from './read-xlsx.ts';
import { isVcardText, readVcardRows, VCARD_HEADERS } from './read-vcard.ts';
import { decodeHead, sniffEncoding } from './sniff-encoding.ts';
import { sniffCsvHeaders, sniffDelimiter } from './sniff-csv.ts';
import { ImportFileError, type ImportByteSource, type ImportFileInfo, type ImportRow, type ReadImportRowsOptions } from './types.ts';

export { suggestMapping } from './suggest-mapping.ts';
export { nameSplitOf, splitFullName, type NameSplit } from './name-split.ts';
export { ImportFileError, type ImportByteSource, type ImportFileInfo, type ImportRow, type ReadImportRowsOptions } from './types.ts';

/** How many bytes of a file's start `sniffImportFile` looks at. */
export const IMPORT_SNIFF_BYTES = 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const isZip = (head: Uint8Array) => ZIP_MAGIC.every((byte, i) => head[i] === byte);
// Excel 97-2003 (.xls) and other OLE2 compound files
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const isOle2 = (head: Uint8Array) => OLE2_MAGIC.every((byte, i) => head[i] === byte);

/**
 * Sniffs format, encoding, delimiter and headers from the file's first bytes (up to ~1 MB). An XLSX file
 * comes back with `headers: []`: a zip cannot be read from its start alone, use `inspectImportFile`.
 * Throws an `ImportFileError` (`unreadableFile`) for an old binary Excel file.
 */
export function sniffImportFile(head: Buffer, fileName: string): ImportFileInfo {
  if (isOle2(head)) throw new ImportFileError('unreadableFile', 'This is an Excel 97-2003 (.xls) file: save it as .xlsx or CSV, then import it.');
  // the bytes decide, not the name: a CSV saved as .xlsx is still read
  if (isZip(head)) return { format: 'xlsx', encoding: 'utf-8', delimiter: null, headers: [] };
  const bytes = head.subarray(0, IMPORT_SNIFF_BYTES);
  const { encoding } = sniffEncoding(bytes);
  const text = decodeHead(bytes, encoding);
  // vCards (.vcf): one card per row, in the columns of Rapport's own export.
  if (isVcardText(text)) return { format: 'vcard', encoding, delimiter: null, headers: [...VCARD_HEADERS] };
  const delimiter = /\.tsv$/i.test(fileName) && text.includes('\t') ? '\t' : sniffDelimiter(text);
  return { format: 'csv', encoding, delimiter, headers: sniffCsvHeaders(text, delimiter) };
}

/** Streams the rows of a file with constant memory, starting after `skipRows` data rows (resume). `open()` returns a fresh byte stream of the whole file each call. */
export function readImportRows(open: () => ImportByteSource, info: ImportFileInfo, options: ReadImportRowsOptions = {}): AsyncIterable<ImportRow> {
  const skipRows = Math.max(0, Math.floor(options.skipRows ?? 0));
  return {
    [Symbol.asyncIterator]: () =>
      info.format === 'xlsx' ? readXlsxRows(open(), info.headers, skipRows) : info.format === 'vcard' ? readVcardRows(open(), info.encoding, skipRows) : readCsvRows(open(), info, skipRows),
  };
}

/**
 * Sniffs a whole file: for CSV the same as `sniffImportFile` on its first MB; for XLSX it also streams
 * the first worksheet up to its header row (a zip cannot be read from its first bytes alone).
 */
export async function inspectImportFile(open: () => ImportByteSource, fileName: string): Promise<ImportFileInfo> {
  const head = await readHead(open(), IMPORT_SNIFF_BYTES + 1);
  const info = sniffImportFile(head, fileName);
  if (info.format !== 'xlsx') return info;
  return { ...info, headers: await readXlsxHeaders(open()) };
}

// The first `limit` bytes of a stream; the stream is closed after.
const readHead = async (source: ImportByteSource, limit: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterable = source as AsyncIterable<Buffer | Uint8Array | string>;
  for await (const chunk of iterable) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(bytes);
    length += bytes.length;
    if (length >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
};
