import Papa from 'papaparse';

/** The first rows of a text file as the file's header names them, for sample values beside each column. */
export const parseSample = (text: string, delimiter: string | null, rows = 20): Record<string, string>[] => {
  // A cut-off last line would be a wrong sample: keep whole lines only (quoted line breaks are rare in the first rows).
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: delimiter ?? '', preview: rows + 1, skipEmptyLines: 'greedy' });
  const [header, ...body] = result.data;
  if (!header) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, index) => [name.trim(), cells[index] ?? ''])));
};

const decoderOf = (bytes: Uint8Array, encoding: string): TextDecoder => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be');
  try {
    return new TextDecoder(encoding.toLowerCase());
  } catch {
    return new TextDecoder('utf-8');
  }
};

/** Reads the first 64 KB of a text file in the encoding the preview found. A workbook gives nothing here. */
export const readFileSample = async (file: Blob, encoding: string, delimiter: string | null): Promise<Record<string, string>[]> => {
  const bytes = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  return parseSample(decoderOf(bytes, encoding).decode(bytes), delimiter);
};
