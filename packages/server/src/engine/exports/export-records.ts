import { PassThrough, Readable } from 'node:stream';
import { exportFormatsOf, MAX_PAGE_SIZE, type ExportFormat, type Filter, type RecordQuery, type SortSpec } from '@rapport/common';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { AppError } from '../errors.ts';
import { assertCanExport, getReadableObject } from '../permissions/assert-access.ts';
import { recordLabel, type ApiRecord } from '../records/record-shape.ts';
import { listRecords, selectFields, type ReadContext } from '../records/read-records.ts';
import type { ObjectMeta } from '../metadata/types.ts';
import { toVcard, VCARD_FIELDS, type VcardVersion } from './vcard.ts';
import { exportColumnsOf, neutraliseFormula, relationsToInclude, SYSTEM_EXPORT_FIELDS, type ExportCell, type ExportColumn } from './export-columns.ts';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  vcf: 'text/vcard; charset=utf-8',
};

export interface RecordExportRequest {
  format: ExportFormat;
  filter?: Filter;
  /** Only the records of this segment (engine/segments). */
  segment?: string;
  sort?: SortSpec[];
  /** The columns, in order (a view's visible columns); every readable field when absent. Not for vCards. */
  fields?: string[];
  /** vCards (people only): 4.0 by default. */
  vcardVersion?: VcardVersion;
}

export interface RecordExport {
  /** The fields exported, in order (system fields `id`, `createdAt`, `updatedAt` included when asked for). */
  fields: string[];
  stream: Readable;
}

/**
 * An object's records as a file, page after page (constant memory for any number of rows): the same
 * filter, sort, fields and permissions as the list endpoint, because it reads through it. The first
 * page is read before anything is sent, so a bad filter or a refused export is a problem+json answer.
 */
export const exportRecords = async (context: ReadContext, request: RecordExportRequest): Promise<RecordExport> => {
  assertCanExport(context.access, context.object.name);
  const visible = getReadableObject(context.access, context.object.name);
  if (request.format === 'vcf') return exportVcards(context, visible, request);
  const fields = request.fields && request.fields.length > 0 ? request.fields : ['id', ...selectFields(visible).map((field) => field.name), 'createdAt', 'updatedAt'];
  const unknown = fields.filter((name) => !SYSTEM_EXPORT_FIELDS.includes(name) && !visible.fieldsByName.has(name));
  if (unknown.length > 0) {
    throw new AppError('INVALID_QUERY', `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} in fields. Fields of ${visible.name}: ${visible.fields.map((field) => field.name).join(', ')}.`, {
      errors: [{ field: 'fields', code: 'unknownField', message: `Unknown: ${unknown.join(', ')}.` }],
    });
  }
  const dataFields = fields.filter((name) => !SYSTEM_EXPORT_FIELDS.includes(name));
  const include = relationsToInclude(visible, dataFields);
  const owners = visible.fields.filter((field) => field.type === 'owner' && dataFields.includes(field.name));

  const userNames = new Map<string, string>();
  const lookUpOwners = async (records: ApiRecord[]) => {
    const ids = [...new Set(records.flatMap((record) => owners.map((field) => record[field.name])).filter((id): id is string => typeof id === 'string' && !userNames.has(id)))];
    if (ids.length === 0) return;
    const { rows } = await sql<{ id: string; name: string }>`select u.id, coalesce(nullif(u.name, ''), u.email) as name
      from rapport.workspace_member m join rapport.user u on u.id = m.user_id
      where m.workspace_id = ${context.workspace.id} and u.id = any(${ids}::uuid[])`.execute(context.db);
    for (const row of rows) userNames.set(row.id, row.name);
  };
  const columns = exportColumnsOf(visible, fields, {
    userName: (id) => userNames.get(id),
    titleOf: (objectName, record) => {
      const target = context.access.view.objects.get(objectName);
      return (target && recordLabel(target, record)) ?? String(record.id ?? '');
    },
  });

  const pages = await readPages(
    context,
    {
      ...(request.filter ? { filter: request.filter } : {}),
      ...(request.segment ? { segment: request.segment } : {}),
      ...(request.sort ? { sort: request.sort } : {}),
      // System fields always come along.
      ...(dataFields.length > 0 ? { fields: dataFields } : {}),
      ...(include.length > 0 ? { include } : {}),
    },
    lookUpOwners,
  );
  const writers: Record<Exclude<ExportFormat, 'vcf'>, () => Readable> = {
    csv: () => Readable.from(csvChunks(columns, pages())),
    json: () => Readable.from(jsonChunks(pages())),
    xlsx: () => xlsxStream(visible.labelPlural, columns, pages()),
  };
  return { fields, stream: writers[request.format as Exclude<ExportFormat, 'vcf'>]() };
};

type Pages = AsyncGenerator<ApiRecord[]>;

/** Items as JSON Lines: one JSON value per line, each line ended (nothing for no items). */
export const toJsonLines = (items: readonly unknown[]): string => items.map((item) => `${JSON.stringify(item)}\n`).join('');

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (code: string) => {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
};

/** People as vCards, one after the other in one .vcf file; the fields the caller may not see stay out. */
const exportVcards = async (context: ReadContext, visible: ObjectMeta, request: RecordExportRequest): Promise<RecordExport> => {
  if (!exportFormatsOf(visible.name).includes('vcf')) {
    throw new AppError('INVALID_QUERY', `vCards are for people: export ${visible.name} as csv, xlsx or json.`, { errors: [{ field: 'format', code: 'invalidChoice', message: 'vcf exports people only.' }] });
  }
  const fields = VCARD_FIELDS.filter((name) => visible.fieldsByName.has(name));
  const company = visible.fieldsByName.get('company');
  const pages = await readPages(context, {
    ...(request.filter ? { filter: request.filter } : {}),
    ...(request.segment ? { segment: request.segment } : {}),
    ...(request.sort ? { sort: request.sort } : {}),
    fields: [...fields],
    ...(company?.type === 'relation' ? { include: ['company'] } : {}),
  });
  const target = company ? context.access.view.objects.get(company.options?.target ?? '') : undefined;
  const version = request.vcardVersion ?? '4.0';
  const cards = async function* () {
    for await (const records of pages()) {
      for (const person of records) {
        const organisation = person.company && typeof person.company === 'object' && target ? recordLabel(target, person.company as Record<string, unknown>) : undefined;
        yield `${toVcard(person, { version, organisation, countryName })}\r\n`;
      }
    }
  };
  return { fields: [...fields], stream: Readable.from(cards()) };
};

/**
 * Every record a query matches, a page (1,000) at a time, through the list endpoint's reader (its
 * permissions, keyset cursor). The first page is read now, so its errors reach the caller before any
 * byte is sent; `onPage` runs on each page before it is handed out.
 */
export const readPages = async (context: ReadContext, query: Omit<RecordQuery, 'limit' | 'cursor' | 'count'>, onPage?: (records: ApiRecord[]) => Promise<void>): Promise<() => Pages> => {
  const readPage = async (cursor?: string) => {
    const page = await listRecords(context, { ...query, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    await onPage?.(page.data);
    return page;
  };
  const first = await readPage();
  return async function* () {
    let page = first;
    yield page.data;
    while (page.pageInfo.hasNextPage && page.pageInfo.nextCursor) {
      page = await readPage(page.pageInfo.nextCursor);
      yield page.data;
    }
  };
};

const csvValue = (cell: ExportCell): string | number => {
  if (cell === null) return '';
  switch (cell.kind) {
    case 'text':
      return neutraliseFormula(cell.value);
    case 'number':
      return cell.value;
    case 'boolean':
      return cell.value ? 'true' : 'false';
    default:
      return cell.value;
  }
};

// RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled. Written here
// rather than with csv-stringify: for this one rule the library spent a fifth of an export's time.
const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
export const csvLine = (values: readonly (string | number)[]) => `${values.map(csvCell).join(',')}\r\n`;

/** UTF-8 with a byte order mark (spreadsheets then read accents right), the columns' headers first, CRLF line ends. */
async function* csvChunks(columns: ExportColumn[], pages: Pages): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(columns.map((column) => neutraliseFormula(column.header)))}`;
  for await (const records of pages) {
    if (records.length > 0) yield records.map((record) => csvLine(columns.map((column) => csvValue(column.cell(record))))).join('');
  }
}

/** One JSON array of the records as the API returns them. */
async function* jsonChunks(pages: Pages): AsyncGenerator<string> {
  let isFirst = true;
  yield '[';
  for await (const records of pages) {
    for (const record of records) {
      yield `${isFirst ? '\n' : ',\n'}${JSON.stringify(record)}`;
      isFirst = false;
    }
  }
  yield isFirst ? ']\n' : '\n]\n';
}

// Calendar days and instants become real dates (UTC) with a readable format; numbers and yes/no stay typed.
const xlsxValue = (cell: ExportCell): { value: ExcelJS.CellValue; numFmt?: string } => {
  if (cell === null) return { value: null };
  switch (cell.kind) {
    case 'date': {
      const day = new Date(`${cell.value.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(day.getTime()) ? { value: cell.value } : { value: day, numFmt: 'yyyy-mm-dd' };
    }
    case 'datetime': {
      const instant = new Date(cell.value);
      return Number.isNaN(instant.getTime()) ? { value: cell.value } : { value: instant, numFmt: 'yyyy-mm-dd hh:mm:ss' };
    }
    default:
      return { value: cell.value };
  }
};

/** An .xlsx workbook written row by row (exceljs' streaming writer): one sheet, a bold header row. */
const xlsxStream = (sheetName: string, columns: ExportColumn[], pages: Pages): Readable => {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const sheet = workbook.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Records', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: Math.min(40, Math.max(12, column.header.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const write = async () => {
    for await (const records of pages) {
      for (const record of records) {
        const row = sheet.addRow(columns.map(() => null));
        columns.forEach((column, index) => {
          const { value, numFmt } = xlsxValue(column.cell(record));
          const cell = row.getCell(index + 1);
          cell.value = value;
          if (numFmt) cell.numFmt = numFmt;
        });
        row.commit();
      }
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
};
