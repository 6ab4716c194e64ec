import iconv from 'iconv-lite';
import { CsvSplitter } from './csv-splitter.ts';
import { alignCells, isBlankRecord, isSeparatorLine } from './headers.ts';
import { TolerantUtf8Decoder } from './utf8-decoder.ts';
import type { ImportByteSource, ImportFileInfo, ImportRow } from './types.ts';

/** A quoted field that never closes would otherwise swallow the whole file into one record. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** Decoded text of a byte stream, chunk by chunk; characters cut between chunks are kept whole, a BOM is dropped. */
export async function* decodeChunks(source: ImportByteSource, encoding: string): AsyncGenerator<string> {
  // UTF-8 tolerantly: the sniff saw only the first MB, and stray single-byte accents may follow
  const decoder = /^utf-?8$/i.test(encoding) ? new TolerantUtf8Decoder() : iconv.getDecoder(encoding);
  for await (const chunk of source as AsyncIterable<Buffer | Uint8Array | string>) {
    const text = decoder.write(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Records of a CSV byte stream, blank lines included, in batches (one per chunk of the file). */
export async function* readCsvRecords(source: ImportByteSource, encoding: string, delimiter: string): AsyncGenerator<string[][]> {
  const splitter = new CsvSplitter(delimiter, MAX_RECORD_CHARS);
  // pulling the source (not piping it) is the backpressure: nothing is read ahead of the consumer
  for await (const text of decodeChunks(source, encoding)) yield splitter.push(text);
  yield splitter.end();
}

/** Streams the data rows of a CSV file: blank lines skipped, header row passed over, `skipRows` data rows passed over. */
export async function* readCsvRows(source: ImportByteSource, info: ImportFileInfo, skipRows: number): AsyncGenerator<ImportRow> {
  let headerSeen = false;
  let rowNumber = 0;
  for await (const records of readCsvRecords(source, info.encoding, info.delimiter ?? ',')) {
    for (const record of records) {
      if (isBlankRecord(record)) continue;
      if (!headerSeen) {
        headerSeen = !isSeparatorLine(record, info.delimiter ?? ',');
        continue;
      }
      rowNumber++;
      if (rowNumber <= skipRows) continue;
      yield { rowNumber, ...alignCells(record, info.headers.length, rowNumber) };
    }
  }
}
