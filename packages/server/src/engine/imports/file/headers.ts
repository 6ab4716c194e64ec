/** Trims headers, drops empty trailing ones, names empty ones `Column N` and de-duplicates (`Email`, `Email (2)`). */
export const normaliseHeaders = (raw: readonly string[]): string[] => {
  const trimmed = raw.map((header) => header.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim());
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === '') trimmed.pop();
  const seen = new Set<string>();
  return trimmed.map((header, index) => {
    const base = header === '' ? `Column ${index + 1}` : header;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    seen.add(name.toLowerCase());
    return name;
  });
};

/** Fits a parsed record to the headers: pads with '', reports non-empty cells past the last header. */
export const alignCells = (record: readonly string[], headerCount: number, rowNumber: number): { cells: string[]; problem?: { code: 'raggedRow'; message: string } } => {
  const cells = record.slice(0, headerCount);
  while (cells.length < headerCount) cells.push('');
  const extra = record.slice(headerCount).filter((cell) => cell.trim() !== '').length;
  if (extra === 0) return { cells };
  return { cells, problem: { code: 'raggedRow', message: `Row ${rowNumber} has ${record.length} cells but the file has ${headerCount} columns; ${extra} extra value(s) ignored.` } };
};

export const isBlankRecord = (record: readonly string[]): boolean => record.every((cell) => cell.trim() === '');

/** Excel's `sep=;` first line names the delimiter; it is not the header row. */
export const isSeparatorLine = (record: readonly string[], delimiter: string): boolean => record.join(delimiter).trim().toLowerCase() === `sep=${delimiter}`;
