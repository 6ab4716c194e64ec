import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvSplitter } from './csv-splitter.ts';
import { ImportFileError } from './types.ts';
import { TolerantUtf8Decoder } from './utf8-decoder.ts';

/** Splits text into chunks at the given cut points and feeds them one by one. */
const splitAll = (text: string, cuts: number[], delimiter = ',', maxRecordChars = 1_000_000): string[][] => {
  const splitter = new CsvSplitter(delimiter, maxRecordChars);
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const records: string[][] = [];
  let start = 0;
  for (const point of [...points, text.length]) {
    records.push(...splitter.push(text.slice(start, point)));
    start = point;
  }
  records.push(...splitter.end());
  return records;
};

const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', ',', ';', '\t', '|', '"', '\n', '\r', 'é', '😀'), maxLength: 6 });

describe('CsvSplitter', () => {
  it('gives back what a writer quoted, whatever the delimiter, line ends and chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        (records, delimiter, eol, quoteAll, finalEol, cuts) => {
          const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
          const needsQuotes = (value: string) => value.includes(delimiter) || /["\r\n]/.test(value);
          const line = (record: string[]) => (record.length === 1 && record[0] === '' ? '""' : record.map((value) => (quoteAll || needsQuotes(value) ? quote(value) : value)).join(delimiter));
          const text = records.map(line).join(eol) + (finalEol ? eol : '');
          expect(splitAll(text, cuts, delimiter)).toEqual(records);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads sloppy quoting the way spreadsheets mean it', () => {
    // a quote inside an unquoted field is a character; text after a closing quote stays in the field
    expect(splitAll('5" screen,"quoted"tail,"a""b"\n', [])).toEqual([['5" screen', 'quotedtail', 'a"b']]);
    // a CR at the end of one chunk and its LF at the start of the next are one line end
    expect(splitAll('a,b\r\nc,d\r\n', [4])).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(splitAll('a,b\r\n\r\nc', [4, 5])).toEqual([['a', 'b'], [''], ['c']]);
    expect(splitAll('a,\n,b', [])).toEqual([
      ['a', ''],
      ['', 'b'],
    ]);
  });

  it('stops a record that grows past the cap, and a quote left open at the end', () => {
    expect(() => splitAll('a,"runaway\n'.padEnd(5000, 'x'), [100, 1000], ',', 1000)).toThrow(ImportFileError);
    expect(() => splitAll('a,"runaway\n'.padEnd(5000, 'x'), [], ',', 1000)).toThrow(/longer than 1000 characters/);
    expect(() => splitAll('a,b\nc,"open', [])).toThrow(/Record 2 opens a quote that is never closed/);
  });

  it('refuses a delimiter of more than one character', () => {
    expect(() => new CsvSplitter(';;', 10)).toThrow();
  });
});

describe('TolerantUtf8Decoder', () => {
  const decodeInChunks = (bytes: Uint8Array, cuts: number[]) => {
    const decoder = new TolerantUtf8Decoder();
    const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
    let text = '';
    let start = 0;
    for (const point of [...points, bytes.length]) {
      text += decoder.write(bytes.subarray(start, point));
      start = point;
    }
    return text + decoder.end();
  };

  it('decodes UTF-8 exactly, in any chunks, dropping only a leading BOM', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (text, bom, cuts) => {
        const bytes = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf8');
        expect(decodeInChunks(bytes, cuts)).toBe(text.startsWith('\uFEFF') && !bom ? text.slice(1) : text);
      }),
      { numRuns: 500 },
    );
  });

  it('reads any bytes the same whatever the chunks, Windows-1252 where they are not UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        expect(decodeInChunks(bytes, cuts)).toBe(decodeInChunks(bytes, []));
      }),
      { numRuns: 500 },
    );
    const mixed = Buffer.concat([Buffer.from('Chloé;'), iconv.encode('Besançon;€', 'windows-1252'), Buffer.from(';Zürich')]);
    expect(decodeInChunks(mixed, [3, 6, 7, 9])).toBe('Chloé;Besançon;€;Zürich');
  });
});
