import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { unzip } from '../../../../../../tests/support/unzip.ts';
import { ImportFileError, inspectImportFile, readImportRows, sniffImportFile, type ImportRow } from './index.ts';
import { cellText } from './read-xlsx.ts';

const collect = async (rows: AsyncIterable<ImportRow>): Promise<ImportRow[]> => {
  const result: ImportRow[] = [];
  for await (const row of rows) result.push(row);
  return result;
};
const chunked = (bytes: Buffer, size = 4096) => () =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );

// A contacts sheet as people make them: a title row and a blank row above the headers, every kind of cell.
const contactsWorkbook = async (): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Contacts');
  sheet.getCell('A1').font = { bold: true }; // a styled empty cell: the row exists but holds nothing
  sheet.getCell('A2').value = '   ';
  sheet.getRow(3).values = [' Name ', 'Born', 'Met at', 'Score', 'Notes', 'Double score', 'Active', 'Website', 'Shout', 'Phone', 'Check', 'Name', null, ''];
  const row4 = sheet.getRow(4);
  row4.values = ['Ada', new Date(Date.UTC(1990, 4, 17)), new Date(Date.UTC(2024, 2, 5, 14, 30)), 42.5, { richText: [{ text: 'Bold', font: { bold: true } }, { text: ' and plain' }] }, { formula: 'D4*2', result: 85 }, true, { text: 'example.com', hyperlink: 'https://example.com' }, { formula: 'UPPER(A4)', result: 'ADA' }, 33612345678, { error: '#N/A' }, 'Second name'];
  row4.getCell(2).numFmt = 'yyyy-mm-dd';
  row4.getCell(3).numFmt = 'dd/mm/yyyy hh:mm';
  const row5 = sheet.getRow(5);
  row5.values = ['Alan', null, null, 0.1, 'line one\nline two', { formula: 'B5+1', result: 45000 }];
  row5.getCell(6).numFmt = 'd mmm yyyy';
  // row 6 left blank
  sheet.getRow(7).values = ['=HYPERLINK("http://evil.example")', null, null, -2, '@SUM(A1:A2)', null, false, null, null, '+1 555 0100', null, null, null, null, 'beyond the last header'];
  workbook.addWorksheet('Other').getCell('A1').value = 'not read';
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

describe('XLSX', () => {
  it('is recognised by its bytes or its name; its headers need the whole file', async () => {
    const bytes = await contactsWorkbook();
    expect(sniffImportFile(bytes.subarray(0, 1000), 'contacts.bin')).toEqual({ format: 'xlsx', encoding: 'utf-8', delimiter: null, headers: [] });
    const info = await inspectImportFile(chunked(bytes), 'contacts.xlsx');
    expect(info).toEqual({ format: 'xlsx', encoding: 'utf-8', delimiter: null, headers: ['Name', 'Born', 'Met at', 'Score', 'Notes', 'Double score', 'Active', 'Website', 'Shout', 'Phone', 'Check', 'Name (2)'] });
  });

  it('reads the first sheet from the first non-empty row, every cell as text', async () => {
    const bytes = await contactsWorkbook();
    const info = await inspectImportFile(chunked(bytes), 'contacts.xlsx');
    const rows = await collect(readImportRows(chunked(bytes, 999), info));
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3]);
    expect(rows[0]).toEqual({
      rowNumber: 1,
      cells: ['Ada', '1990-05-17', '2024-03-05T14:30:00', '42.5', 'Bold and plain', '85', 'true', 'example.com', 'ADA', '33612345678', '#N/A', 'Second name'],
    });
    // a formula shown as a date gives its cached result as a date
    expect(rows[1]!.cells).toEqual(['Alan', '', '', '0.1', 'line one\nline two', '2023-03-15', '', '', '', '', '', '']);
    expect(rows[2]!.cells).toEqual(['=HYPERLINK("http://evil.example")', '', '', '-2', '@SUM(A1:A2)', '', 'false', '', '', '+1 555 0100', '', '']);
    expect(rows[2]!.problem?.code).toBe('raggedRow');
    expect(rows.slice(0, 2).every((row) => row.problem === undefined)).toBe(true);
  });

  it('reads a workbook whose shared strings come before its sheets (as LibreOffice orders them)', async () => {
    // exceljs, like Excel, writes the sheets first: the reader then parks them in temporary files
    const excelOrder = await contactsWorkbook();
    const entries = await unzip(excelOrder);
    const names = [...entries.keys()].filter((name) => !name.endsWith('/'));
    const rank = (name: string) => (name.startsWith('xl/worksheets/') ? 1 : 0);
    const zip = new yazl.ZipFile();
    for (const name of names.sort((a, b) => rank(a) - rank(b))) zip.addBuffer(Buffer.from(entries.get(name)!, 'utf8'), name);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const libreOrder = Buffer.concat(chunks);
    expect((await unzip(libreOrder)).size).toBe(names.length);
    const infoA = await inspectImportFile(chunked(excelOrder), 'a.xlsx');
    const infoB = await inspectImportFile(chunked(libreOrder), 'b.xlsx');
    expect(infoB).toEqual(infoA);
    const rowsA = await collect(readImportRows(chunked(excelOrder), infoA));
    expect(await collect(readImportRows(chunked(libreOrder), infoB))).toEqual(rowsA);
    expect(rowsA).toHaveLength(3);
  });

  it('reads the header row itself when the info has none', async () => {
    const bytes = await contactsWorkbook();
    const rows = await collect(readImportRows(chunked(bytes), sniffImportFile(bytes, 'contacts.xlsx')));
    expect(rows).toHaveLength(3);
    expect(rows[0]!.cells).toHaveLength(12);
  });

  it('streams a large sheet written with shared strings, and resumes after skipRows', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: true, useStyles: true });
    const sheet = writer.addWorksheet('Big');
    sheet.addRow(['id', 'email', 'joined']).commit();
    const joined = (i: number) => new Date(Date.UTC(2020, 0, 1 + (i % 365)));
    for (let i = 1; i <= 5000; i++) {
      const row = sheet.addRow([i, `person${i}@example.test`, joined(i)]);
      row.getCell(3).numFmt = 'yyyy-mm-dd';
      row.commit();
    }
    sheet.commit();
    await writer.commit();
    const bytes = Buffer.concat(chunks);
    const info = await inspectImportFile(chunked(bytes, 64 * 1024), 'big.xlsx');
    expect(info.headers).toEqual(['id', 'email', 'joined']);
    let count = 0;
    let last: ImportRow | undefined;
    for await (const row of readImportRows(chunked(bytes, 64 * 1024), info)) {
      count++;
      last = row;
    }
    expect(count).toBe(5000);
    expect(last).toEqual({ rowNumber: 5000, cells: ['5000', 'person5000@example.test', joined(5000).toISOString().slice(0, 10)] });
    const resumed = readImportRows(chunked(bytes, 64 * 1024), info, { skipRows: 4997 });
    expect((await collect(resumed)).map((row) => row.cells[0])).toEqual(['4998', '4999', '5000']);
    // a consumer that stops early (a preview) closes the file without an error
    const firstRows: string[] = [];
    for await (const row of readImportRows(chunked(bytes, 64 * 1024), info)) {
      firstRows.push(row.cells[0]!);
      if (firstRows.length === 3) break;
    }
    expect(firstRows).toEqual(['1', '2', '3']);
    await new Promise((resolveTimer) => setTimeout(resolveTimer, 100));
  }, 60_000);

  it('fails with an ImportFileError on a broken workbook', async () => {
    const bytes = (await contactsWorkbook()).subarray(0, 2000);
    const info = { format: 'xlsx' as const, encoding: 'utf-8', delimiter: null, headers: ['Name'] };
    const reading = collect(readImportRows(chunked(bytes), info));
    await expect(reading).rejects.toBeInstanceOf(ImportFileError);
    await expect(reading).rejects.toMatchObject({ code: 'unreadableFile' });
  });

  it('turns every kind of cell value into text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(1e21)).toBe('1e+21');
    expect(cellText(45000, '[$-409]mmmm d, yyyy;@')).toBe('2023-03-15');
    expect(cellText(45000.75, 'yyyy-mm-dd hh:mm')).toBe('2023-03-15T18:00:00');
    expect(cellText(45000, '0.00" days"')).toBe('45000');
    expect(cellText({ sharedFormula: 'A1', result: 'x' })).toBe('x');
    expect(cellText({ formula: 'NOW()' })).toBe('');
    expect(cellText({ richText: [{ text: 'a' }, { text: 'b' }] })).toBe('ab');
  });
});
