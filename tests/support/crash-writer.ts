// Run as a child process by crash-safety.int.test.ts: writes batches through the real write path
// until it is killed. Each batch prints a line first so the parent knows a transaction is under way.
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { loadWorkspaceMeta } from '../../packages/server/src/engine/metadata/metadata-store.ts';
import { createFullAccess } from '../../packages/server/src/engine/permissions/access.ts';
import { saveRecords } from '../../packages/server/src/engine/records/save-records.ts';

const { CRASH_DATABASE_URL, CRASH_DATA_DIR, CRASH_WORKSPACE_ID, CRASH_BATCH_SIZE } = process.env;
const database = await openDatabase(CRASH_DATABASE_URL ? { databaseUrl: CRASH_DATABASE_URL } : { dataDir: CRASH_DATA_DIR! });
const workspace = await loadWorkspaceMeta(database.db, CRASH_WORKSPACE_ID!);
const object = workspace.objects.get('person')!;
const size = Number(CRASH_BATCH_SIZE);
for (let batch = 0; batch < 10_000; batch++) {
  const records = Array.from({ length: size }, (_, i) => ({ firstName: `Crash${i}`, lastName: `Batch${batch}`, email: `crash.${process.pid}.${batch}.${i}@example.com` }));
  process.stdout.write(`batch ${batch}\n`);
  await saveRecords({ db: database.db, workspace, object, actorId: null, access: createFullAccess(workspace) }, { records });
}
