import type { JobHandler } from '../jobs/index.ts';
import type { WorkspaceMeta } from '../metadata/types.ts';
import { failImport, runImport } from './run-import.ts';
import { undoImport } from './undo-import.ts';

export const IMPORT_JOB = 'platform.import';
export const IMPORT_UNDO_JOB = 'platform.importUndo';

export interface ImportJobPayload {
  importId: string;
}

export interface ImportJobOptions {
  /** The workspace's metadata: the server's cache (with the field keyring) or `loadWorkspaceMeta`. */
  loadWorkspace(workspaceId: string): Promise<WorkspaceMeta>;
}

/** The import and its undo as durable jobs: a restarted or taken-over run resumes from its last checkpoint. */
export const createImportJobHandlers = ({ loadWorkspace }: ImportJobOptions): Record<string, JobHandler<ImportJobPayload>> => ({
  [IMPORT_JOB]: async ({ db, job, signal, reportProgress }) => {
    const run = await runImport({ db, importId: job.payload.importId, loadWorkspace, signal, onProgress: (counts) => reportProgress(counts) }).catch(async (error: unknown) => {
      // The last attempt: the run says it failed (earlier attempts resume from the checkpoint).
      if (job.attempts >= job.maxAttempts && !signal.aborted) await failImport(db, job.payload.importId, error instanceof Error ? error.message : String(error));
      throw error;
    });
    return { status: run.status, processed: run.processed, created: run.created, updated: run.updated, failed: run.failed };
  },
  [IMPORT_UNDO_JOB]: async ({ db, job, signal, reportProgress }) =>
    undoImport({ db, importId: job.payload.importId, loadWorkspace, signal, onProgress: (counts) => reportProgress(counts) }),
});
