import type { ImportFormat } from '@rapport/common';

/** What the first bytes of an import file tell: its format, text encoding, delimiter and column headers. */
export interface ImportFileInfo {
  format: ImportFormat;
  /** An iconv-lite encoding name (`utf-8`, `utf-16le`, `utf-16be`, `windows-1252`...); `utf-8` for XLSX. */
  encoding: string;
  /** The CSV field delimiter; null for XLSX and vCards. */
  delimiter: string | null;
  /** Trimmed, de-duplicated (`Email`, `Email (2)`), trailing empty columns dropped. */
  headers: string[];
}

/** One data row of an import file. */
export interface ImportRow {
  /** 1-based data row, header and blank lines excluded. */
  rowNumber: number;
  /** Aligned to the headers; '' for a missing cell. */
  cells: string[];
  /** Set when the row does not fit the headers (more non-empty cells than headers). */
  problem?: { code: 'raggedRow' | 'unreadableCard'; message: string };
}

export type ImportByteSource = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

export interface ReadImportRowsOptions {
  /** Data rows to pass over before the first one yielded (resume after a restart). */
  skipRows?: number;
}

/** A file that cannot be read at all (not a row problem): unreadable XLSX, a runaway quoted field... */
export class ImportFileError extends Error {
  constructor(
    readonly code: 'unreadableFile' | 'recordTooLarge' | 'unclosedQuote',
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}
