import { createReadStream, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ImportFileError, readImportRows, sniffImportFile, type ImportFileInfo, type ImportRow } from './index.ts';

// A full garbage collection on demand, to measure what is retained rather than what is not yet collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const fixturesDir = resolve(import.meta.dirname, '../../../../../../tests/fixtures/imports');
const fixture = (name: string) => resolve(fixturesDir, name);

/** A source that hands out the bytes in chunks of `size` (multi-byte characters and CRLF cut in two). */
const chunked = (bytes: Buffer, size: number) => () =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );

const collect = async (rows: AsyncIterable<ImportRow>): Promise<ImportRow[]> => {
  const result: ImportRow[] = [];
  for await (const row of rows) result.push(row);
  return result;
};

const read = async (bytes: Buffer, fileName = 'file.csv', chunkSize = 64 * 1024) => {
  const info = sniffImportFile(bytes, fileName);
  return { info, rows: await collect(readImportRows(chunked(bytes, chunkSize), info)) };
};

const readFixture = async (name: string) => {
  const info = sniffImportFile(readFileSync(fixture(name)), name);
  return { info, rows: await collect(readImportRows(() => createReadStream(fixture(name)), info)) };
};

describe('CSV exports of other CRMs', () => {
  it('reads a Salesforce export: CRLF, all quoted, multiline and escaped quotes', async () => {
    const { info, rows } = await readFixture('salesforce-contacts.csv');
    expect(info).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    expect(info.headers).toHaveLength(18);
    expect(info.headers.slice(0, 6)).toEqual(['Contact ID', 'Salutation', 'First Name', 'Last Name', 'Title', 'Account Name']);
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3]);
    const at = (row: ImportRow, header: string) => row.cells[info.headers.indexOf(header)];
    expect(at(rows[0]!, 'First Name')).toBe('Amélie');
    expect(at(rows[0]!, 'Description')).toBe('Met at the Lyon trade fair.\r\nWants a demo in Q3.');
    expect(at(rows[1]!, 'Mailing City')).toBe('München');
    expect(at(rows[1]!, 'Description')).toBe('He said "call me after lunch".');
    expect(at(rows[2]!, 'Mailing Street')).toBe('500 Market St, Suite 200');
    expect(rows.every((row) => row.cells.length === 18 && row.problem === undefined)).toBe(true);
  });

  it.each(['hubspot-contacts.csv', 'pipedrive-persons.csv', 'zoho-contacts.csv', 'twenty-people.csv', 'twenty-companies.csv'])('reads %s with every row the width of its header', async (name) => {
    const { info, rows } = await readFixture(name);
    expect(info).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    const firstLine = readFileSync(fixture(name), 'utf8').split('\n')[0]!;
    expect(info.headers).toEqual(firstLine.split(',').map((header) => header.trim()));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.cells).toHaveLength(info.headers.length);
      expect(row.problem).toBeUndefined();
    }
  });

  it('keeps a quoted comma and a JSON cell with escaped quotes', async () => {
    const hubspot = await readFixture('hubspot-contacts.csv');
    expect(hubspot.rows[2]!.cells[hubspot.info.headers.indexOf('Company Name')]).toBe('Adventure Works, Ltd.');
    const twenty = await readFixture('twenty-people.csv');
    expect(twenty.rows[1]!.cells[twenty.info.headers.indexOf('Emails / Additional Emails')]).toBe('["tom.b@mail.example"]');
  });
});

describe('encodings', () => {
  it('reads UTF-8 with a BOM and a semicolon delimiter', async () => {
    const { info, rows } = await readFixture('utf8-bom-semicolon.csv');
    expect(info).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ';', headers: ['Prénom', 'Nom', 'E-mail', 'Entreprise', 'Ville', 'Code postal', 'Chiffre d’affaires'] });
    expect(rows[0]!.cells).toEqual(['Éloïse', 'Müller', 'eloise@exemple.test', 'Société Générale; Paris', 'Paris', '75008', '1 234,56']);
    expect(rows[1]!.cells[1]).toBe('Nguyễn');
  });

  it('reads UTF-16 LE with a BOM, tab-separated, whatever the file is called', async () => {
    for (const name of ['contacts.tsv', 'contacts.csv', 'contacts.txt']) {
      const bytes = readFileSync(fixture('utf16le-bom.tsv'));
      const { info, rows } = await read(bytes, name);
      expect(info).toEqual({ format: 'csv', encoding: 'utf-16le', delimiter: '\t', headers: ['First Name', 'Last Name', 'Email', 'City'] });
      expect(rows.map((row) => row.cells)).toEqual([
        ['Zoë', 'Åström', 'zoe@example.test', 'Göteborg'],
        ['Иван', 'Петров', 'ivan@example.test', 'Москва'],
        ['李', '雷', 'li.lei@example.test', '北京'],
      ]);
    }
  });

  it('reads UTF-16 BE with a BOM and UTF-16 LE/BE without one (by the NUL bytes)', async () => {
    const text = 'Name,City\r\nZoë,Göteborg\r\nИван,Москва\r\n';
    const cases: Array<[Buffer, string]> = [
      [Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'utf-16be'],
      [iconv.encode(text, 'utf-16le'), 'utf-16le'],
      [iconv.encode(text, 'utf-16be'), 'utf-16be'],
    ];
    for (const [bytes, encoding] of cases) {
      // odd chunk sizes cut the two-byte units in half
      const { info, rows } = await read(bytes, 'people.csv', 3);
      expect(info).toEqual({ format: 'csv', encoding, delimiter: ',', headers: ['Name', 'City'] });
      expect(rows.map((row) => row.cells)).toEqual([
        ['Zoë', 'Göteborg'],
        ['Иван', 'Москва'],
      ]);
    }
  });

  it('detects Windows-1252 and decodes €, œ and typographic quotes', async () => {
    const { info, rows } = await readFixture('windows-1252.csv');
    expect(info).toMatchObject({ format: 'csv', encoding: 'windows-1252', delimiter: ';' });
    expect(info.headers).toEqual(['Prénom', 'Nom', 'Société', 'Fonction', 'Ville', 'Remarque']);
    expect(rows.map((row) => row.cells[0])).toEqual(['Amélie', 'Jürgen', 'Noël', 'Zoë']);
    expect(rows[0]!.cells[5]).toBe('Cœur de cible, budget 1 500 €');
    expect(rows[1]!.cells[5]).toBe('« très intéressé » – rappeler l’été');
    expect(rows[3]!.cells[5]).toBe('Déjà client ™');
  });

  it('reads ISO-8859-1 text as Windows-1252 (its superset)', async () => {
    const bytes = iconv.encode('Nom,Ville,Pays\nGarçon,Besançon,France\nMüller,Köln,Deutschland\nPeña,Málaga,España\n', 'iso-8859-1');
    const { info, rows } = await read(bytes);
    expect(info.encoding).toBe('windows-1252');
    expect(rows.map((row) => row.cells)).toEqual([
      ['Garçon', 'Besançon', 'France'],
      ['Müller', 'Köln', 'Deutschland'],
      ['Peña', 'Málaga', 'España'],
    ]);
  });

  it('keeps UTF-8 characters cut between chunks whole', async () => {
    const bytes = readFileSync(fixture('utf8-bom-semicolon.csv'));
    const whole = await read(bytes);
    for (const size of [1, 2, 5]) expect((await read(bytes, 'file.csv', size)).rows).toEqual(whole.rows);
  });

  it('reads single-byte accents that only come after an ASCII first MB, and keeps real UTF-8 beside them', async () => {
    const asciiRows = 'Plain Name,London\n'.repeat(70_000);
    const bytes = Buffer.concat([Buffer.from(`Name,City\n${asciiRows}`), iconv.encode('Zoë,Besançon\n', 'windows-1252'), Buffer.from('Chloé 😀,Zürich\n')]);
    const info = sniffImportFile(bytes.subarray(0, 1024 * 1024), 'late-accents.csv');
    expect(info).toMatchObject({ encoding: 'utf-8', headers: ['Name', 'City'] });
    const rows = await collect(readImportRows(chunked(bytes, 1000), info));
    expect(rows).toHaveLength(70_002);
    expect(rows.slice(-2).map((row) => row.cells)).toEqual([
      ['Zoë', 'Besançon'],
      ['Chloé 😀', 'Zürich'],
    ]);
  });

  it('keeps a four-byte character cut in every place whole', async () => {
    const bytes = Buffer.from('\uFEFFName\n😀 rocket 🚀\n\uFEFFzero-width\n');
    for (const size of [1, 2, 3, 4, 5]) {
      const { info, rows } = await read(bytes, 'emoji.csv', size);
      expect(info.headers).toEqual(['Name']);
      // only the first BOM is a BOM: a later U+FEFF is text
      expect(rows.map((row) => row.cells[0])).toEqual(['😀 rocket 🚀', '\uFEFFzero-width']);
    }
  });

  it('takes a head cut in the middle of a character as UTF-8', () => {
    const bytes = Buffer.from('Name,City\nZoë,Göteborg\n');
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('ö')) + 1);
    expect(sniffImportFile(cut, 'file.csv')).toMatchObject({ encoding: 'utf-8', headers: ['Name', 'City'] });
  });
});

describe('delimiters and line endings', () => {
  it.each([
    [',', 'a,b,c\n1,2,3\n'],
    [';', 'a;b;c\n1;2,5;3\n'],
    ['\t', 'a\tb\tc\n1\t2\t3\n'],
    ['|', 'a|b|c\n1|2|3\n'],
  ])('sniffs %j', async (delimiter, text) => {
    const { info, rows } = await read(Buffer.from(text));
    expect(info.delimiter).toBe(delimiter);
    expect(info.headers).toEqual(['a', 'b', 'c']);
    expect(rows[0]!.cells).toEqual(['1', delimiter === ';' ? '2,5' : '2', '3']);
  });

  it('does not count delimiters inside quotes', async () => {
    const { info, rows } = await read(Buffer.from('"Name, full";"Notes"\n"Doe, Jane";"a, b, c, d"\n"Roe, Rick";"e, f"\n'));
    expect(info).toMatchObject({ delimiter: ';', headers: ['Name, full', 'Notes'] });
    expect(rows.map((row) => row.cells)).toEqual([
      ['Doe, Jane', 'a, b, c, d'],
      ['Roe, Rick', 'e, f'],
    ]);
  });

  it('takes the delimiter that splits lines the same way, not the most frequent one', () => {
    expect(sniffImportFile(Buffer.from('name;notes\nAda;a,b,c,d,e\nAlan;f,g\nGrace;h\n'), 'f.csv').delimiter).toBe(';');
  });

  it('reads one column when there is no delimiter at all', async () => {
    const { info, rows } = await read(Buffer.from('Email\nada@example.test\nalan@example.test\n'));
    expect(info).toMatchObject({ delimiter: ',', headers: ['Email'] });
    expect(rows.map((row) => row.cells)).toEqual([['ada@example.test'], ['alan@example.test']]);
  });

  it('reads CRLF, LF and CR line endings alike, a missing final newline too', async () => {
    const lines = ['Name,Notes', 'Ada,"two\nlines"', 'Alan,plain'];
    const expected = [
      ['Ada', 'two\nlines'],
      ['Alan', 'plain'],
    ];
    for (const eol of ['\r\n', '\n', '\r']) {
      for (const text of [lines.join(eol) + eol, lines.join(eol)]) {
        const { info, rows } = await read(Buffer.from(text), 'f.csv', 4);
        expect(info.headers).toEqual(['Name', 'Notes']);
        expect(rows.map((row) => row.cells)).toEqual(expected);
      }
    }
  });
});

describe('rows and headers', () => {
  it('pads short rows, reports long ones, skips blank lines and drops empty trailing headers', async () => {
    const { info, rows } = await readFixture('ragged.csv');
    expect(info.headers).toEqual(['Name', 'Email', 'City']);
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((row) => row.cells)).toEqual([
      ['Ada Lovelace', 'ada@analytical.example', 'London'],
      ['Alan Turing', 'alan@bletchley.example', ''],
      ['Grace Hopper', 'grace@navy.example', 'Arlington'],
      ['Edsger Dijkstra', 'edsger@eindhoven.example', 'Eindhoven'],
      ['Barbara Liskov', 'barbara@mit.example', 'Cambridge'],
    ]);
    // empty cells past the last header are no problem; values are
    expect(rows.map((row) => row.problem?.code ?? null)).toEqual([null, null, null, 'raggedRow', null]);
    expect(rows[3]!.problem!.message).toContain('2 extra');
  });

  it('trims and de-duplicates headers and names empty ones', () => {
    const info = sniffImportFile(Buffer.from('  Email , Email,email,,Name ,Email\n1,2,3,4,5,6\n'), 'f.csv');
    expect(info.headers).toEqual(['Email', 'Email (2)', 'email (3)', 'Column 4', 'Name', 'Email (4)']);
  });

  it("follows Excel's sep= line and does not take it for the header row", async () => {
    const { info, rows } = await read(Buffer.from('sep=|\r\nName|Notes\r\nAda|a, b; c\r\n'));
    expect(info).toMatchObject({ delimiter: '|', headers: ['Name', 'Notes'] });
    expect(rows).toEqual([{ rowNumber: 1, cells: ['Ada', 'a, b; c'] }]);
  });

  it('takes the first non-blank line as the header row', async () => {
    const { info, rows } = await read(Buffer.from('\n\n,,\nName,City\nAda,London\n'));
    expect(info.headers).toEqual(['Name', 'City']);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['Ada', 'London'] }]);
  });

  it('keeps quoted multiline notes and escaped quotes', async () => {
    const { rows } = await readFixture('multiline-notes.csv');
    expect(rows.map((row) => row.cells)).toEqual([
      ['Hedy Lamarr', 'Inventor.\nLikes "frequency hopping".\n\nSecond paragraph, with a comma.', 'hedy@example.test'],
      ['Katherine Johnson', 'One line', 'katherine@example.test'],
      ['Margaret Hamilton', 'Line one\r\nLine two', 'margaret@example.test'],
    ]);
  });

  it('hands formula-like cells over exactly as written', async () => {
    const { rows } = await readFixture('injection.csv');
    expect(rows.map((row) => row.cells)).toEqual([
      ['=HYPERLINK("http://evil.example","Click")', '+1 555 0100', '@SUM(A1:A2)', '-2+3'],
      ['Plain Name', '+44 20 7946 0000', '=1+1', "=cmd|' /C calc'!A0"],
    ]);
  });

  it('refuses an Excel 97-2003 file with a message saying what to do', () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(() => sniffImportFile(xls, 'old.xls')).toThrow(ImportFileError);
    expect(() => sniffImportFile(xls, 'old.xls')).toThrow(/\.xlsx or CSV/);
  });

  it('reads a CSV file named .xlsx as CSV', () => {
    expect(sniffImportFile(Buffer.from('Name,Email\nAda,ada@example.test\n'), 'renamed.xlsx')).toMatchObject({ format: 'csv', headers: ['Name', 'Email'] });
  });

  it('reads an empty file as no headers and no rows', async () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('\uFEFF'), Buffer.from('\n\n')]) {
      const { info, rows } = await read(bytes);
      expect(info).toMatchObject({ format: 'csv', headers: [] });
      expect(rows).toEqual([]);
    }
  });

  it('reports a quote that is never closed, after the good rows', async () => {
    const bytes = Buffer.from('Name,Notes\nAda,fine\nAlan,"never closed\nGrace,lost\n');
    const info = sniffImportFile(bytes, 'f.csv');
    const seen: ImportRow[] = [];
    const reading = (async () => {
      for await (const row of readImportRows(chunked(bytes, 8), info)) seen.push(row);
    })();
    await expect(reading).rejects.toMatchObject({ name: 'ImportFileError', code: 'unclosedQuote' });
    await expect(reading).rejects.toBeInstanceOf(ImportFileError);
    expect(seen.map((row) => row.cells)).toEqual([['Ada', 'fine']]);
  });

  it('sniffs the headers from a head cut in the middle of a quoted field', () => {
    const text = `Name,Notes\n${'Ada,"a long note, with commas\nand lines"\n'.repeat(2000)}`;
    const head = Buffer.from(text).subarray(0, 1000);
    expect(sniffImportFile(head, 'notes.csv')).toMatchObject({ delimiter: ',', headers: ['Name', 'Notes'] });
  });

  it('reads the file again from the start each time it is iterated', async () => {
    const bytes = readFileSync(fixture('zoho-contacts.csv'));
    const info = sniffImportFile(bytes, 'zoho.csv');
    let opened = 0;
    const rows = readImportRows(() => {
      opened++;
      return chunked(bytes, 100)();
    }, info);
    const first = await collect(rows);
    const second = await collect(rows);
    expect(opened).toBe(2);
    expect(second).toEqual(first);
    expect(first).toHaveLength(2);
  });

  it('stops reading when the consumer stops', async () => {
    let produced = 0;
    const source = () =>
      Readable.from(
        (function* () {
          yield Buffer.from('n\n');
          for (let i = 0; i < 1_000_000; i++) {
            produced++;
            yield Buffer.from(`${i}\n`);
          }
        })(),
      );
    const info: ImportFileInfo = { format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['n'] };
    for await (const row of readImportRows(source, info)) if (row.rowNumber === 10) break;
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 20));
    expect(produced).toBeLessThan(100_000);
  });
});

// ~200k rows of ~130 bytes made while they are read: the file is never in memory, and neither are the rows.
const ROWS = 200_000;
const rowText = (i: number) => `${i},Person ${i},person${i}@example.test,"Note ${i}, with a comma\nand a second line",${'x'.repeat(40)}\r\n`;
const bigFile = (progress: { bytes: number; rows: number }) => () =>
  Readable.from(
    (function* () {
      yield Buffer.from('id,name,email,notes,padding\r\n');
      for (let start = 0; start < ROWS; start += 100) {
        let chunk = '';
        // a blank line now and then
        for (let i = start; i < start + 100; i++) chunk += i % 1000 === 999 ? `\r\n${rowText(i)}` : rowText(i);
        const bytes = Buffer.from(chunk);
        progress.bytes += bytes.length;
        progress.rows += 100;
        yield bytes;
      }
    })(),
  );

describe('streaming', () => {
  const info: ImportFileInfo = { format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['id', 'name', 'email', 'notes', 'padding'] };

  it('reads 200k rows with bounded memory and never runs far ahead of the consumer', async () => {
    const progress = { bytes: 0, rows: 0 };
    const started = Date.now();
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let maxRetained = 0;
    let gcTime = 0;
    let maxLead = 0;
    let count = 0;
    for await (const row of readImportRows(bigFile(progress), info)) {
      count++;
      if (row.cells[0] !== String(row.rowNumber - 1)) throw new Error(`row ${row.rowNumber} holds ${row.cells[0]}`);
      if (count % 1000 === 0) maxLead = Math.max(maxLead, progress.rows - count);
      if (count % 50_000 === 0) {
        // what the reader holds on to, garbage aside (the collection's own time is not the reader's)
        const gcStarted = Date.now();
        collectGarbage();
        gcTime += Date.now() - gcStarted;
        maxRetained = Math.max(maxRetained, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(count).toBe(ROWS);
    expect(progress.bytes).toBeGreaterThan(25 * 1024 * 1024);
    // backpressure: rows made but not yet consumed stay within a few chunks of the file (~130 bytes a row)
    expect(maxLead).toBeLessThan(5000);
    // the file is over 25 MB; the reader holds a chunk or two of it
    expect(maxRetained).toBeLessThan(8 * 1024 * 1024);
    // ~2 s on an idle machine; the bound only catches a reader gone quadratic on a busy one
    expect(Date.now() - started - gcTime).toBeLessThan(15_000);
  });

  it('resumes after skipRows with exactly the rows after N', async () => {
    const bytes = Buffer.from(['Name,Notes', 'r1,"a\nb"', '', 'r2,plain', 'r3,"x ""quoted"""', ',', 'r4,last', 'r5,"c\r\nd"', ''].join('\r\n'));
    const info = sniffImportFile(bytes, 'f.csv');
    const all = await collect(readImportRows(chunked(bytes, 3), info));
    expect(all.map((row) => row.cells[0])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    for (let skip = 0; skip <= all.length + 1; skip++) {
      const resumed = await collect(readImportRows(chunked(bytes, 3), info, { skipRows: skip }));
      expect(resumed).toEqual(all.slice(skip));
    }
  });

  it('resumes a 200k-row stream in the middle', async () => {
    const rows = readImportRows(bigFile({ bytes: 0, rows: 0 }), info, { skipRows: 123_456 });
    const seen: ImportRow[] = [];
    for await (const row of rows) {
      seen.push(row);
      if (seen.length === 3) break;
    }
    expect(seen.map((row) => [row.rowNumber, row.cells[0]])).toEqual([
      [123_457, '123456'],
      [123_458, '123457'],
      [123_459, '123458'],
    ]);
  });
});
