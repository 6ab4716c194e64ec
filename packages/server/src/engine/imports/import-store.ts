import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { ImportFormat, ImportMapping, ImportRun, ImportStatus } from '@rapport/common';
import type { ImportFileInfo } from './file/types.ts';

export type { ImportMapping } from '@rapport/common';

/** What the job needs beyond the API shape. */
export interface ImportRunState extends ImportRun {
  workspaceId: string;
  encoding: string;
  delimiter: string | null;
  headers: string[];
  createRelated: boolean;
  scopes: string[] | null;
  undoBy: string | null;
  undoScopes: string[] | null;
}

export interface ImportRunRow {
  id: string;
  workspace_id: string;
  object: string;
  file_name: string;
  format: ImportFormat;
  encoding: string;
  delimiter: string | null;
  headers: string[];
  mapping: ImportMapping;
  upsert_on: string | null;
  dry_run: boolean;
  create_related: boolean;
  status: ImportStatus;
  created_by: string | null;
  scopes: string[] | null;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  total_rows: number | null;
  error: string | null;
  undo_status: ImportStatus | null;
  undo_by: string | null;
  undo_scopes: string[] | null;
  undo_removed: number;
  undo_restored: number;
  undo_conflicts: number;
  undo_finished_at: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const toImportRun = (row: ImportRunRow): ImportRun => ({
  id: row.id,
  object: row.object,
  fileName: row.file_name,
  format: row.format,
  status: row.status,
  dryRun: row.dry_run,
  upsertOn: row.upsert_on,
  mapping: row.mapping,
  processed: row.processed,
  created: row.created,
  updated: row.updated,
  failed: row.failed,
  totalRows: row.total_rows,
  error: row.error,
  undo: row.undo_status
    ? { status: row.undo_status, removed: row.undo_removed, restored: row.undo_restored, conflicts: row.undo_conflicts, finishedAt: row.undo_finished_at }
    : null,
  createdBy: row.created_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

/** The API shape of a run (without the job's own columns). */
export const publicImportRun = (state: ImportRunState): ImportRun => {
  const { workspaceId: _w, encoding: _e, delimiter: _d, headers: _h, createRelated: _c, scopes: _s, undoBy: _u, undoScopes: _us, ...run } = state;
  return run;
};

const toState = (row: ImportRunRow): ImportRunState => ({
  ...toImportRun(row),
  workspaceId: row.workspace_id,
  encoding: row.encoding,
  delimiter: row.delimiter,
  headers: row.headers,
  createRelated: row.create_related,
  scopes: row.scopes,
  undoBy: row.undo_by,
  undoScopes: row.undo_scopes,
});

export const importNotFound = (id: string) => new AppError('IMPORT_NOT_FOUND', `No import with id ${id} in this workspace.`);

const json = (value: unknown) => sql`${value === undefined ? null : JSON.stringify(value)}::jsonb`;

/** A file is kept as chunks of about this size: any server reads it back, whatever its local disk. */
export const CHUNK_BYTES = 1024 * 1024;

/** Stores a byte stream as chunks of an import, one statement per chunk; returns the bytes written. */
export const storeImportFile = async (db: Db, { importId, source, maxBytes }: { importId: string; source: AsyncIterable<Buffer | Uint8Array | string>; maxBytes?: number }): Promise<number> => {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await sql`insert into rapport.import_file_chunk (import_id, seq, data) values (${importId}, ${seq++}, ${data})`.execute(db);
  };
  for await (const piece of source) {
    const buffer = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    total += buffer.length;
    if (maxBytes !== undefined && total > maxBytes) throw fileTooLarge(maxBytes);
    pending.push(buffer);
    pendingBytes += buffer.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  await sql`update rapport.import_run set file_size = ${total} where id = ${importId}`.execute(db);
  return total;
};

export const fileTooLarge = (maxBytes: number) =>
  new AppError('IMPORT_FILE_TOO_LARGE', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the most an import accepts; split it into several files.`, {
    errors: [{ field: 'file', code: 'tooLarge', message: `At most ${maxBytes} bytes.` }],
  });

/** The stored file, chunk by chunk (one chunk in memory at a time). */
export async function* readImportFile(db: Db, importId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    // As base64 text: node-postgres reads bytea as hex text and decodes it in JavaScript, several times slower.
    const { rows } = await sql<{ data: string }>`select encode(data, 'base64') as data from rapport.import_file_chunk where import_id = ${importId} and seq = ${seq}`.execute(db);
    if (!rows[0]) return;
    yield Buffer.from(rows[0].data, 'base64');
  }
}

export interface CreateImportRunOptions {
  id?: string;
  workspaceId: string;
  object: string;
  fileName: string;
  mapping: ImportMapping;
  upsertOn: string | null;
  dryRun: boolean;
  createRelated: boolean;
  createdBy: string | null;
  scopes: readonly string[] | null;
}

/** A run waiting for its file; its format and headers are set once the file is stored and sniffed. */
export const insertImportRun = async (db: Db, options: CreateImportRunOptions): Promise<string> => {
  const id = options.id ?? randomUUID();
  await sql`
    insert into rapport.import_run (id, workspace_id, object, file_name, format, encoding, headers, mapping, upsert_on, dry_run, create_related, created_by, scopes)
    values (${id}, ${options.workspaceId}, ${options.object}, ${options.fileName}, 'csv', 'utf-8', '[]'::jsonb, ${json(options.mapping)},
      ${options.upsertOn}, ${options.dryRun}, ${options.createRelated}, ${options.createdBy}, ${json(options.scopes)})`.execute(db);
  return id;
};

export const setImportFileInfo = async (db: Db, { id, info, mapping }: { id: string; info: ImportFileInfo; mapping: ImportMapping }): Promise<void> => {
  await sql`
    update rapport.import_run set format = ${info.format}, encoding = ${info.encoding}, delimiter = ${info.delimiter},
      headers = ${json(info.headers)}, mapping = ${json(mapping)}
    where id = ${id}`.execute(db);
};

export const deleteImportRun = async (db: Db, id: string): Promise<void> => {
  await sql`delete from rapport.import_run where id = ${id}`.execute(db);
};

export const findImportRunState = async (db: Db, id: string): Promise<ImportRunState | undefined> => {
  const { rows } = await sql<ImportRunRow>`select * from rapport.import_run where id = ${id}`.execute(db);
  return rows[0] ? toState(rows[0]) : undefined;
};

/** The import of this workspace; IMPORT_NOT_FOUND for any other workspace's. */
export const getImportRun = async (db: Db, { workspaceId, id }: { workspaceId: string; id: string }): Promise<ImportRunState> => {
  const state = await findImportRunState(db, id);
  if (!state || state.workspaceId !== workspaceId) throw importNotFound(id);
  return state;
};

/** Newest first. */
export const listImportRuns = async (db: Db, { workspaceId, object, limit }: { workspaceId: string; object?: string; limit: number }): Promise<ImportRun[]> => {
  const byObject = object ? sql`and object = ${object}` : sql``;
  const { rows } = await sql<ImportRunRow>`
    select * from rapport.import_run where workspace_id = ${workspaceId} and object <> '' ${byObject}
    order by created_at desc, id desc limit ${limit}`.execute(db);
  return rows.map(toImportRun);
};

export interface ImportErrorRow {
  rowNumber: number;
  column: string | null;
  field: string;
  code: string;
  message: string;
  cells: string[];
}

/** The rejected rows' problems in row order, a page at a time (keyset on id). */
export async function* readImportErrors(db: Db, importId: string, pageSize = 1000): AsyncGenerator<ImportErrorRow[]> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ id: number; row_number: number; column_name: string | null; field: string; code: string; message: string; cells: string[] }>`
      select id::int as id, row_number, column_name, field, code, message, cells from rapport.import_error
      where import_id = ${importId} and id > ${after} order by id limit ${pageSize}`.execute(db);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows.map((row) => ({ rowNumber: row.row_number, column: row.column_name, field: row.field, code: row.code, message: row.message, cells: row.cells }));
  }
}
