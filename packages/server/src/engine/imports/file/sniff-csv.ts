import { CsvSplitter } from './csv-splitter.ts';
import { isBlankRecord, isSeparatorLine, normaliseHeaders } from './headers.ts';

export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;
const SNIFF_LINES = 50;

// Counts each candidate delimiter per logical line (quotes respected) over the first lines.
const countDelimiters = (text: string): Map<string, number[]> => {
  const counts = new Map<string, number[]>(CANDIDATE_DELIMITERS.map((d) => [d, []]));
  let current = new Map<string, number>(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let lineHasText = false;
  let lines = 0;
  const endLine = () => {
    if (lineHasText) {
      for (const d of CANDIDATE_DELIMITERS) counts.get(d)!.push(current.get(d)!);
      lines++;
    }
    current = new Map(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
    lineHasText = false;
  };
  let previous = '\n';
  for (let i = 0; i < text.length && lines < SNIFF_LINES; i++) {
    const char = text[i]!;
    if (inQuotes) {
      // `""` is an escaped quote; a lone one closes the field
      if (char === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
    } else if (char === '"' && (previous === '\n' || previous === '\r' || current.has(previous))) {
      // a quote opens a field only at its start, as the reader sees it
      inQuotes = true;
      lineHasText = true;
    } else if (char === '\n' || char === '\r') {
      endLine();
    } else if (current.has(char)) {
      current.set(char, current.get(char)! + 1);
      lineHasText = true;
    } else if (char.trim() !== '') {
      lineHasText = true;
    }
    previous = char;
  }
  // the last line may be cut in the middle: count it only when it is the only one
  if (lines === 0) endLine();
  return counts;
};

/** The delimiter that splits the first lines most consistently: present in the header, same count on most lines. */
export const sniffDelimiter = (text: string): string => {
  // Excel's own hint on the first line
  const hint = /^sep=(.)\r?\n/i.exec(text)?.[1];
  if (hint) return hint;
  const counts = countDelimiters(text);
  let best: { delimiter: string; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const perLine = counts.get(delimiter)!;
    const header = perLine[0] ?? 0;
    if (header === 0) continue;
    const consistent = perLine.filter((count) => count === header).length / perLine.length;
    // consistency first, then the number of columns it makes
    const score = consistent * 1000 + Math.min(header, 999);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
};

/** The header row in a decoded head: its first non-blank record (a head cut mid-record still has it whole). */
export const sniffCsvHeaders = (text: string, delimiter: string): string[] => {
  const splitter = new CsvSplitter(delimiter, Number.MAX_SAFE_INTEGER);
  const records = splitter.push(text);
  // the head may be the whole file, without a final line break
  const isHeader = (record: string[]) => !isBlankRecord(record) && !isSeparatorLine(record, delimiter);
  let header = records.find(isHeader);
  if (!header) {
    try {
      header = splitter.end().find(isHeader);
    } catch {
      header = undefined; // the head ends inside the quoted first record: no header to trust
    }
  }
  return header ? normaliseHeaders(header) : [];
};
