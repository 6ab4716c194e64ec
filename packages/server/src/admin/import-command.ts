import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Database } from '../engine/db/database.ts';
import { AppError } from '../engine/errors.ts';
import { importErrorsCsv } from '../engine/imports/import-errors-csv.ts';
import { receiveImportFile, startImport } from '../engine/imports/import-service.ts';
import { getImportRun, publicImportRun, type ImportMapping } from '../engine/imports/import-store.ts';
import { runImport } from '../engine/imports/run-import.ts';
import type { WorkspaceMeta } from '../engine/metadata/types.ts';
import { loadWorkspaceMeta } from '../engine/metadata/metadata-store.ts';
import { createFullAccess } from '../engine/permissions/access.ts';
import { findCommandWorkspace } from './command-workspace.ts';

export type ImportCommand =
  | {
      command: 'import.run';
      /** Absolute path of the file: the server reads it on this machine. */
      file: string;
      object: string;
      workspace?: string;
      mapping?: ImportMapping;
      upsertOn?: string;
      dryRun?: boolean;
      createRelated?: boolean;
      /** Run the rows here and answer when done; false: queue the job (a server's worker runs it) and answer at once. */
      wait: boolean;
    }
  | { command: 'import.status'; workspace?: string; id: string };

export interface ImportCommandContext {
  onProgress?: (message: string) => void;
  /** The server's metadata (with its field keyring); loaded from the database otherwise. */
  loadWorkspace?: (workspaceId: string) => Promise<WorkspaceMeta>;
}

/**
 * `rapport import FILE --object person`: the engine's own import (no user: full access, audited as the
 * CLI), the file read from this machine. Rejected rows are written next to the file as `<file>.errors.csv`.
 */
export const runImportCommand = async (database: Database, input: ImportCommand, context: ImportCommandContext = {}): Promise<Record<string, unknown>> => {
  const db = database.db;
  const workspaceRow = await findCommandWorkspace(database, input.workspace);
  const loadWorkspace = context.loadWorkspace ?? ((id: string) => loadWorkspaceMeta(db, id));
  if (input.command === 'import.status') {
    const run = await getImportRun(db, { workspaceId: workspaceRow.id, id: input.id });
    return { workspace: workspaceRow.name, ...publicImportRun(run), ...(await errorsFileOf(database, run, undefined)) };
  }
  const size = await stat(input.file).then((info) => (info.isFile() ? info.size : undefined), () => undefined);
  if (size === undefined) throw new AppError('INVALID_REQUEST', `No file ${input.file}.`, { errors: [{ field: 'file', code: 'required', message: 'Give the path of a CSV or XLSX file.' }] });
  const workspace = await loadWorkspace(workspaceRow.id);
  const caller = { db, workspace, access: createFullAccess(workspace), actorId: null, scopes: null };
  const id = await receiveImportFile(caller, { fileName: basename(input.file), source: createReadStream(input.file) });
  const started = await startImport(caller, id, {
    object: input.object,
    ...(input.mapping ? { mapping: input.mapping } : {}),
    upsertOn: input.upsertOn ?? null,
    dryRun: input.dryRun ?? false,
    createRelated: input.createRelated ?? true,
    // Run here: a server's worker (on the same PostgreSQL) would race this process; it only takes over if this one dies.
    ...(input.wait ? { jobDelayMs: 10 * 60 * 1000 } : {}),
  });
  context.onProgress?.(`Import ${id}: ${basename(input.file)} into ${started.object} (${workspaceRow.name})${started.dryRun ? ', dry run' : ''}.`);
  if (!input.wait) return { workspace: workspaceRow.name, ...publicImportRun(started) };
  // Here the rows are written by this process; the queued job finds the import done (or resumes it if this process dies).
  const run = await runImport({
    db,
    importId: id,
    loadWorkspace,
    onProgress: async ({ processed, created, updated, failed }) => {
      context.onProgress?.(`${processed} rows: ${created} created, ${updated} updated, ${failed} failed`);
      // Still alive: the fallback job waits another while.
      await sql`update rapport.job set run_at = now() + interval '10 minutes' where key = ${`import:${id}`} and status = 'queued'`.execute(db);
    },
  }).catch(async (error: unknown) => {
    const current = await getImportRun(db, { workspaceId: workspaceRow.id, id });
    if (current.status === 'failed') throw new AppError('INVALID_REQUEST', `The import failed: ${current.error ?? String(error)}`);
    throw error;
  });
  return { workspace: workspaceRow.name, ...publicImportRun(run), ...(await errorsFileOf(database, run, input.file)) };
};

// A finished import with rejected rows: their CSV beside the imported file (or the file's name in the working folder).
const errorsFileOf = async (database: Database, run: Awaited<ReturnType<typeof getImportRun>>, file: string | undefined) => {
  if (run.failed === 0 || (run.status !== 'completed' && run.status !== 'failed')) return {};
  const path = `${file ?? run.fileName}.errors.csv`;
  await pipeline(Readable.from(importErrorsCsv(database.db, run)), createWriteStream(path));
  return { errorsFile: path };
};
