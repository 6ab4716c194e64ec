import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { createTestDatabase, describeEngines } from '../setup/engines.ts';

const BATCH = 200;

/** Starts the writer, waits until it is inside its third batch, then kills it with SIGKILL. */
const killMidBatch = (env: Record<string, string>) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/crash-writer.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('batch 2\n')) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 30));
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    // Never left running: a writer that has not reached its third batch in 50 s is stopped, and the test fails.
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer did not reach its third batch in 50 s: ${output.slice(-500)}${errors}`));
    }, 50_000);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer ended without being killed: ${errors}`));
    });
  });

describeEngines('crash safety', (engine) => {
  it('should leave no half-written batch, history or event when a writer is killed mid-transaction', async () => {
    const testDatabase = await createTestDatabase(engine);
    const workspace = await createWorkspace({ db: testDatabase.database.db, name: 'Crash', standardObjects });
    // The writer needs the folder to itself (PGlite is one process); PostgreSQL stays open here.
    if (engine === 'pglite') await testDatabase.database.close();
    await killMidBatch({
      CRASH_WORKSPACE_ID: workspace.id,
      CRASH_BATCH_SIZE: String(BATCH),
      ...(testDatabase.databaseUrl ? { CRASH_DATABASE_URL: testDatabase.databaseUrl } : { CRASH_DATA_DIR: testDatabase.dataDir! }),
    });
    const database = engine === 'pglite' ? await openDatabase({ dataDir: testDatabase.dataDir! }) : testDatabase.database;
    const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.db)).rows[0]!.n;
    const people = await count(sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, 'person')}`);
    // People's only: a new workspace also starts with records of its own (its pipeline, stages, point rules).
    const history = await count(sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, '_history')} where object_name = 'person'`);
    const events = await count(sql<{ n: number }>`select count(*)::int as n from rapport.event where workspace_id = ${workspace.id} and object = 'person'`);
    expect(people).toBeGreaterThanOrEqual(2 * BATCH);
    expect(people % BATCH).toBe(0);
    expect(history).toBe(people);
    expect(events).toBe(people);
    await database.close();
    if (engine === 'pglite') await testDatabase.destroy().catch(() => undefined);
    else await testDatabase.destroy();
  }, 60_000);
});
