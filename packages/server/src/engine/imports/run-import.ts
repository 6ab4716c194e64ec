import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { PermanentJobError } from '../jobs/index.ts';
import type { ObjectMeta, WorkspaceMeta } from '../metadata/types.ts';
import { sealEncryptedValues } from '../records/field-encryption.ts';
import { assertCan, assertCanImport } from '../permissions/assert-access.ts';
import { createAccess, createFullAccess, type Access } from '../permissions/access.ts';
import { loadAccessProfile } from '../permissions/access-profile.ts';
import { ImportFileError, readImportRows } from './file/index.ts';
import { writeBatch, type BatchResult } from './import-batch.ts';
import { mapRow, planMapping, type MappedRow, type MappingPlan } from './import-mapping.ts';
import { findImportRunState, readImportFile, type ImportRunState } from './import-store.ts';
import { withSavepoint } from './savepoint.ts';

/** Rows written per transaction: one checkpoint each. */
export const IMPORT_BATCH_ROWS = 1000;

export interface RunImportOptions {
  db: Db;
  importId: string;
  /** The workspace's metadata (the server's cache, with field keys) or loaded as is. */
  loadWorkspace(workspaceId: string): Promise<WorkspaceMeta>;
  signal?: AbortSignal;
  /** Called after each committed batch; renews the job's lease. Never called inside a transaction. */
  onProgress?(run: { processed: number; created: number; updated: number; failed: number }): Promise<void> | void;
  batchRows?: number;
}

/** The access of whoever started it: their role and their key's scopes now; everything for the CLI. */
export const accessOf = async (db: Db, workspace: WorkspaceMeta, userId: string | null, scopes: string[] | null): Promise<Access> =>
  userId === null && scopes === null ? createFullAccess(workspace) : createAccess({ workspace, profile: await loadAccessProfile(db, workspace.id, userId), scopes });

/**
 * Runs (or resumes) an import: rows from the stored file after the checkpoint, mapped and written a batch
 * at a time through the write path as the user who started it. Each batch is one transaction with its
 * row outcomes, errors and the new checkpoint, so a restart goes on where the last commit left off.
 */
export const runImport = async (options: RunImportOptions): Promise<ImportRunState> => {
  const { db, importId } = options;
  const state = await findImportRunState(db, importId);
  if (!state) throw new PermanentJobError(`Import ${importId} no longer exists.`);
  if (state.status === 'completed' || state.status === 'failed') return state;
  try {
    const workspace = await options.loadWorkspace(state.workspaceId);
    const object = workspace.objects.get(state.object);
    if (!object) throw new AppError('OBJECT_NOT_FOUND', `The object ${state.object} no longer exists.`);
    const access = await accessOf(db, workspace, state.createdBy, state.scopes);
    assertCanImport(access, object.name);
    assertCan(access, object.name, 'create');
    if (state.upsertOn) assertCan(access, object.name, 'update');
    const plan = planMapping({ workspace: access.view, object: access.view.objects.get(object.name) ?? object, headers: state.headers, mapping: state.mapping });
    await sql`update rapport.import_run set status = 'running', started_at = coalesce(started_at, now()) where id = ${importId}`.execute(db);
    await processRows({ ...options, state, workspace, access, plan });
    await sql`
      update rapport.import_run set status = 'completed', total_rows = processed, finished_at = now()
      where id = ${importId} and status = 'running'`.execute(db);
    // Undo and the errors CSV need only what the rows did: the file's space is given back.
    await deleteImportFile(db, importId);
  } catch (error) {
    // A file that cannot be read, a mapping or permission that no longer holds: retrying cannot help.
    if (error instanceof ImportFileError || error instanceof AppError || error instanceof PermanentJobError) {
      await failImport(db, importId, error.message);
      throw new PermanentJobError(error.message, { cause: error });
    }
    throw error;
  }
  return (await findImportRunState(db, importId))!;
};

export const failImport = async (db: Db, importId: string, message: string) => {
  await sql`update rapport.import_run set status = 'failed', error = ${message}, finished_at = now() where id = ${importId} and status in ('queued', 'running')`.execute(db);
  await deleteImportFile(db, importId);
};

const deleteImportFile = async (db: Db, importId: string) => {
  await sql`delete from rapport.import_file_chunk where import_id = ${importId}`.execute(db);
};

interface ProcessOptions extends RunImportOptions {
  state: ImportRunState;
  workspace: WorkspaceMeta;
  access: Access;
  plan: MappingPlan;
}

const processRows = async (options: ProcessOptions) => {
  const { db, state, signal, plan } = options;
  const size = options.batchRows ?? IMPORT_BATCH_ROWS;
  const info = { format: state.format, encoding: state.encoding, delimiter: state.delimiter, headers: state.headers };
  let done = state.processed;
  let batch: MappedRow[] = [];
  // The batch being written: the next one is read and mapped meanwhile (this process works while the
  // database does). Batches still commit one after the other, each with its checkpoint.
  let writing: Promise<void> | undefined;
  const flush = async () => {
    await writing;
    writing = undefined;
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    writing = (async () => {
      const counts = await commitBatch(options, rows, done);
      done += rows.length;
      await options.onProgress?.(counts);
    })();
    // Awaited at the next flush; a failure meanwhile is not an unhandled rejection.
    writing.catch(() => undefined);
  };
  try {
    // Rows are read outside any transaction (the file is in the database: PGlite has one session, and the
    // reader waits there for the batch being written to commit).
    for await (const row of readImportRows(() => readImportFile(db, state.id), info, { skipRows: done })) {
      signal?.throwIfAborted();
      batch.push(mapRow(plan, row));
      if (batch.length >= size) await flush();
    }
    signal?.throwIfAborted();
    await flush();
    await writing;
  } finally {
    // Never leave a batch's transaction running behind a stopped reader.
    await writing?.catch(() => undefined);
  }
};

const commitBatch = async (options: ProcessOptions, mapped: MappedRow[], done: number) => {
  const { db, state, workspace, access, plan } = options;
  let result: BatchResult | undefined;
  const counts = await db.transaction().execute(async (trx) => {
    const context = { trx, workspace, access, actorId: state.createdBy, plan, upsertOn: state.upsertOn, createRelated: state.createRelated };
    if (state.dryRun) {
      // The same work, then undone: only counts and errors are kept.
      await withSavepoint(trx, async () => {
        result = await writeBatch(context, mapped);
        throw DRY_RUN;
      }).catch((error: unknown) => {
        if (error !== DRY_RUN) throw error;
      });
    } else {
      result = await writeBatch(context, mapped);
      await saveOutcomes(trx, state, plan.object, result);
    }
    await saveErrors(trx, state.id, result!);
    const created = result!.written.filter((entry) => entry.outcome.action === 'created').length;
    const updated = result!.written.length - created;
    const { rows: updatedRuns } = await sql<{ processed: number; created: number; updated: number; failed: number }>`
      update rapport.import_run
      set processed = processed + ${mapped.length}, created = created + ${created},
        updated = updated + ${updated}, failed = failed + ${result!.failed.length}
      where id = ${state.id} and processed = ${done} and status = 'running'
      returning processed, created, updated, failed`.execute(trx);
    // Someone else moved the checkpoint (another worker took the job over): this batch is theirs.
    if (!updatedRuns[0]) throw new Error(`Import ${state.id} moved past row ${done} elsewhere; this run stops.`);
    return updatedRuns[0];
  });
  if (!state.dryRun) result!.onCommitted();
  return counts;
};

const DRY_RUN = Symbol('dry run');

// Values of encrypted fields are kept sealed, as history keeps them.
const saveOutcomes = async (trx: Db, state: ImportRunState, object: ObjectMeta, result: BatchResult) => {
  const records = [
    ...result.written.map(({ row, outcome }) => ({
      object: state.object,
      record_id: outcome.id,
      action: outcome.action,
      row_number: row.rowNumber,
      is_related: false,
      previous: outcome.action === 'updated' ? sealEncryptedValues(object, outcome.previous ?? {}) : null,
      written: outcome.action === 'updated' ? sealEncryptedValues(object, outcome.written ?? {}) : null,
    })),
    ...result.related.map(({ object, id }) => ({ object, record_id: id, action: 'created', row_number: null, is_related: true, previous: null, written: null })),
  ];
  if (records.length === 0) return;
  // The first outcome of a record decides created/updated; the earliest previous values and the latest written ones are kept.
  await sql`
    insert into rapport.import_record (import_id, object, record_id, action, row_number, is_related, previous, written)
    select ${state.id}::uuid, r.object, r.record_id, r.action, r.row_number, r.is_related, r.previous, r.written
    from json_to_recordset(${JSON.stringify(records)}::json)
      as r(object text, record_id uuid, action text, row_number integer, is_related boolean, previous jsonb, written jsonb)
    on conflict (import_id, object, record_id) do update
      set previous = excluded.previous || rapport.import_record.previous,
        written = rapport.import_record.written || excluded.written`.execute(trx);
};

const saveErrors = async (trx: Db, importId: string, result: BatchResult) => {
  const errors = result.failed.flatMap(({ row, problems }) =>
    problems.map((problem) => ({ row_number: row.rowNumber, column_name: problem.column, field: problem.field, code: problem.code, message: problem.message, cells: row.cells })),
  );
  if (errors.length === 0) return;
  await sql`
    insert into rapport.import_error (import_id, row_number, column_name, field, code, message, cells)
    select ${importId}::uuid, e.row_number, e.column_name, e.field, e.code, e.message, e.cells
    from json_to_recordset(${JSON.stringify(errors)}::json)
      as e(row_number integer, column_name text, field text, code text, message text, cells jsonb)`.execute(trx);
};
