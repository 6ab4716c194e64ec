// Run as a child process by imports-resume.int.test.ts: runs (or resumes) an import, printing a line after
// each committed batch so the parent knows when to kill it mid-import.
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { runImport } from '../../packages/server/src/engine/imports/run-import.ts';
import { loadWorkspaceMeta } from '../../packages/server/src/engine/metadata/metadata-store.ts';

const { IMPORT_DATABASE_URL, IMPORT_DATA_DIR, IMPORT_ID, IMPORT_BATCH_ROWS } = process.env;
const database = await openDatabase(IMPORT_DATABASE_URL ? { databaseUrl: IMPORT_DATABASE_URL } : { dataDir: IMPORT_DATA_DIR! });
let batches = 0;
await runImport({
  db: database.db,
  importId: IMPORT_ID!,
  loadWorkspace: (id) => loadWorkspaceMeta(database.db, id),
  batchRows: Number(IMPORT_BATCH_ROWS),
  onProgress: () => void process.stdout.write(`batch ${batches++}\n`),
});
process.stdout.write('done\n');
await database.close();
