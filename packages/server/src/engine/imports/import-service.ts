import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError, validationFailed } from '../errors.ts';
import { enqueueJob } from '../jobs/index.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import type { Access } from '../permissions/access.ts';
import { assertCan, assertCanImport } from '../permissions/assert-access.ts';
import { ImportFileError, inspectImportFile, readImportRows, suggestMapping, type ImportFileInfo, type ImportRow } from './file/index.ts';
import { writeBatch } from './import-batch.ts';
import { mapRow, planMapping, type RowProblem } from './import-mapping.ts';
import { deleteImportRun, getImportRun, insertImportRun, readImportFile, setImportFileInfo, storeImportFile, type ImportMapping, type ImportRunState } from './import-store.ts';
import { IMPORT_JOB, IMPORT_UNDO_JOB } from './import.job.ts';

/** The largest file an import accepts. */
export const IMPORT_MAX_BYTES = 100 * 1024 * 1024;
/** Rows a preview shows. */
export const PREVIEW_ROWS = 20;

export interface ImportCaller {
  db: Db;
  workspace: WorkspaceMeta;
  access: Access;
  actorId: string | null;
  /** The API key's scopes (null for a session or the CLI): the job runs with the same. */
  scopes: readonly string[] | null;
}

export interface ImportSettings {
  object: string;
  mapping?: ImportMapping;
  upsertOn?: string | null;
  dryRun?: boolean;
  createRelated?: boolean;
  /** Queue the job this much later: the caller runs the rows itself, the job takes over if it dies (the CLI). */
  jobDelayMs?: number;
}

/** The object to import into, as the caller sees it, once they may import, create (and update, to upsert) there. */
export const getImportableObject = (caller: Pick<ImportCaller, 'access' | 'workspace'>, { object: name, upsertOn }: Pick<ImportSettings, 'object' | 'upsertOn'>): ObjectMeta => {
  const object = caller.access.view.objects.get(name);
  if (!object) throw new AppError('OBJECT_NOT_FOUND', `There is no object "${name}".`);
  assertCanImport(caller.access, name);
  assertCan(caller.access, name, 'create');
  if (upsertOn) {
    assertCan(caller.access, name, 'update');
    const field = object.fieldsByName.get(upsertOn);
    if (!field?.unique) {
      throw validationFailed([{ field: 'upsertOn', code: 'invalidChoice', message: `upsertOn must name a unique field of ${name}: ${object.fields.filter((f) => f.unique).map((f) => f.name).join(', ') || 'none'}.` }]);
    }
  }
  return object;
};

const unreadable = (error: unknown): AppError => {
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('IMPORT_FILE_UNREADABLE', `The file cannot be read: ${message}`, { errors: [{ field: 'file', code: 'invalidFormat', message }] });
};

/** Sniffs a file; a file that is no CSV or XLSX (or has no header row) is IMPORT_FILE_UNREADABLE. */
export const inspectFile = async (open: () => AsyncIterable<Buffer>, fileName: string): Promise<ImportFileInfo> => {
  const info = await inspectImportFile(open, fileName).catch((error: unknown) => {
    throw error instanceof ImportFileError || !isAppError(error) ? unreadable(error) : error;
  });
  if (info.headers.length === 0) throw unreadable(new Error('it has no header row.'));
  return info;
};

// A suggestion this caller cannot use (a field hidden from them, a target the planner refuses) skips that column.
const usableSuggestion = (workspace: WorkspaceMeta, object: ObjectMeta, headers: string[], suggested: ImportMapping): ImportMapping => {
  let mapping = suggested;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      planMapping({ workspace, object, headers, mapping });
      return mapping;
    } catch (error) {
      if (!isAppError(error) || error.code !== 'VALIDATION_FAILED') throw error;
      const refused = new Set((error.errors ?? []).map((item) => item.field.replace(/^mapping\./, '')));
      mapping = Object.fromEntries(Object.entries(mapping).map(([header, target]) => [header, refused.has(header) ? null : target]));
    }
  }
  return Object.fromEntries(Object.keys(suggested).map((header) => [header, null]));
};

/** The mapping to use: the given one (checked against the file and the object) or the suggested one; `workspace` is the caller's view. */
const chooseMapping = (workspace: WorkspaceMeta, object: ObjectMeta, info: ImportFileInfo, given?: ImportMapping) => {
  const suggested = usableSuggestion(workspace, object, info.headers, suggestMapping(info.headers, object, workspace));
  const mapping = given ?? suggested;
  const plan = planMapping({ workspace, object, headers: info.headers, mapping });
  if (plan.columns.length === 0) throw validationFailed([{ field: 'mapping', code: 'required', message: 'No column is mapped to a field: send a mapping.' }]);
  return { suggested, mapping, plan };
};

/** Creates a run to receive a file (its settings are checked when the file is in: `startImport`). */
export const receiveImportFile = async (caller: ImportCaller, { fileName, source, object, maxBytes = IMPORT_MAX_BYTES }: { fileName: string; source: AsyncIterable<Buffer | Uint8Array | string>; object?: string; maxBytes?: number }): Promise<string> => {
  const id = await insertImportRun(caller.db, {
    workspaceId: caller.workspace.id,
    object: object ?? '',
    fileName: fileName.slice(0, 500) || 'import.csv',
    mapping: {},
    upsertOn: null,
    dryRun: false,
    createRelated: true,
    createdBy: caller.actorId,
    scopes: caller.scopes,
  });
  try {
    await storeImportFile(caller.db, { importId: id, source, maxBytes });
  } catch (error) {
    await deleteImportRun(caller.db, id);
    throw error;
  }
  return id;
};

/** Checks the settings against the stored file and queues the job; the run is deleted when they do not fit. */
export const startImport = async (caller: ImportCaller, id: string, settings: ImportSettings): Promise<ImportRunState> => {
  const { db, workspace } = caller;
  try {
    const object = getImportableObject(caller, settings);
    const run = await getImportRun(db, { workspaceId: workspace.id, id });
    const info = await inspectFile(() => readImportFile(db, id), run.fileName);
    const { mapping } = chooseMapping(caller.access.view, object, info, settings.mapping);
    await setImportFileInfo(db, { id, info, mapping });
    await sql`
      update rapport.import_run set object = ${object.name}, upsert_on = ${settings.upsertOn ?? null}, dry_run = ${settings.dryRun ?? false},
        create_related = ${settings.createRelated ?? true}
      where id = ${id}`.execute(db);
    await enqueueJob(db, { type: IMPORT_JOB, payload: { importId: id }, workspaceId: workspace.id, key: `import:${id}`, maxAttempts: 10, delayMs: settings.jobDelayMs ?? 0 });
    return await getImportRun(db, { workspaceId: workspace.id, id });
  } catch (error) {
    await deleteImportRun(db, id);
    throw error;
  }
};

export interface ImportPreview extends ImportFileInfo {
  suggestedMapping: ImportMapping;
  mapping: ImportMapping;
  sampleRows: { rowNumber: number; cells: string[]; values: Record<string, unknown>; errors: RowProblem[] }[];
}

const ROLLBACK = Symbol('preview');

/** The first rows mapped and run through the write path in a transaction that is rolled back. */
export const previewImport = async (caller: ImportCaller, { file, fileName, ...settings }: ImportSettings & { file: Buffer; fileName: string }): Promise<ImportPreview> => {
  const { db, workspace, access, actorId } = caller;
  const object = getImportableObject(caller, settings);
  const open = async function* () {
    yield file;
  };
  const info = await inspectFile(open, fileName);
  const { suggested, mapping, plan } = chooseMapping(caller.access.view, object, info, settings.mapping);
  const rows: ImportRow[] = [];
  try {
    for await (const row of readImportRows(open, info)) {
      rows.push(row);
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } catch (error) {
    // The web app may send only the first MB: a row cut short at the end is no reason to refuse the preview.
    if (rows.length === 0) throw unreadable(error);
  }
  const mapped = rows.map((row) => mapRow(plan, row));
  const shown = mapped.map((row) => {
    const values: Record<string, unknown> = { ...row.values };
    for (const key of row.related) {
      for (const matcher of key.matchers) values[`${key.relation}.${matcher.field.name}`] ??= matcher.value.trim();
      for (const [name, value] of Object.entries(key.values)) values[`${key.relation}.${name}`] = value;
    }
    return { rowNumber: row.rowNumber, cells: row.cells, values };
  });
  let failed = new Map<number, RowProblem[]>();
  await db
    .transaction()
    .execute(async (trx) => {
      const result = await writeBatch({ trx, workspace, access, actorId, plan, upsertOn: settings.upsertOn ?? null, createRelated: settings.createRelated ?? true }, mapped);
      failed = new Map(result.failed.map(({ row, problems }) => [row.rowNumber, problems]));
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  return {
    ...info,
    suggestedMapping: suggested,
    mapping,
    sampleRows: shown.map((row) => ({ ...row, errors: failed.get(row.rowNumber) ?? [] })),
  };
};

/** Queues the undo of a finished import as the caller; 409 when there is nothing (more) to undo. */
export const requestUndo = async (caller: ImportCaller, id: string): Promise<ImportRunState> => {
  const { db, workspace, access } = caller;
  const run = await getImportRun(db, { workspaceId: workspace.id, id });
  assertCanImport(access, run.object);
  assertCan(access, run.object, 'delete');
  assertCan(access, run.object, 'update');
  const reason = run.dryRun ? 'it was a dry run: nothing was written' : run.status === 'queued' || run.status === 'running' ? 'it is still running' : run.undo ? 'it is already undone (or being undone)' : undefined;
  if (reason) throw new AppError('IMPORT_NOT_UNDOABLE', `The import cannot be undone: ${reason}.`);
  const { numAffectedRows } = await sql`
    update rapport.import_run set undo_status = 'queued', undo_by = ${caller.actorId}, undo_scopes = ${caller.scopes === null ? null : JSON.stringify(caller.scopes)}::jsonb
    where id = ${id} and undo_status is null`.execute(db);
  if (numAffectedRows !== 1n) throw new AppError('IMPORT_NOT_UNDOABLE', 'The import cannot be undone: it is already being undone.');
  await enqueueJob(db, { type: IMPORT_UNDO_JOB, payload: { importId: id }, workspaceId: workspace.id, key: `import-undo:${id}`, maxAttempts: 10 });
  return getImportRun(db, { workspaceId: workspace.id, id });
};
