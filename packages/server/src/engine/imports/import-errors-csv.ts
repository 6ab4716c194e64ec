import type { Db } from '../db/database.ts';
import { neutraliseFormula } from '../exports/export-columns.ts';
import { csvLine } from '../exports/export-records.ts';
import { readImportErrors, type ImportRunState } from './import-store.ts';

/**
 * The rejected rows as CSV text, page by page: `row,column,field,code,message`, then the row's own cells
 * under the file's headers; text cells neutralised against formula injection like exports.
 */
export async function* importErrorsCsv(db: Db, run: Pick<ImportRunState, 'id' | 'headers'>): AsyncGenerator<string> {
  const { headers } = run;
  yield `\uFEFF${csvLine(['row', 'column', 'field', 'code', 'message', ...headers].map(neutraliseFormula))}`;
  for await (const page of readImportErrors(db, run.id)) {
    yield page
      .map((error) => csvLine([error.rowNumber, ...[error.column ?? '', error.field, error.code, error.message, ...headers.map((_, index) => error.cells[index] ?? '')].map(neutraliseFormula)]))
      .join('');
  }
}
