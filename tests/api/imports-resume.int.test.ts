import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { receiveImportFile, startImport } from '../../packages/server/src/engine/imports/import-service.ts';
import { runImport } from '../../packages/server/src/engine/imports/run-import.ts';
import { loadWorkspaceMeta } from '../../packages/server/src/engine/metadata/metadata-store.ts';
import { createFullAccess } from '../../packages/server/src/engine/permissions/access.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { createTestDatabase, describeEngines } from '../setup/engines.ts';
import { toCsv } from '../support/imports.ts';

const ROWS = 1200;
const BATCH = 100;
const COMPANIES = 25;

/** Runs the import in a child process and kills it with SIGKILL once its fourth batch is committed, while the fifth is under way. */
const killMidImport = (env: Record<string, string>) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/import-runner.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('batch 3\n')) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 40));
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the import did not reach its fourth batch in 100 s: ${output.slice(-500)}${errors}`));
    }, 100_000);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && !output.includes('done')) resolve();
      else reject(new Error(`the import ended without being killed mid-way: ${output.slice(-200)}${errors}`));
    });
  });

describeEngines('import resume after kill -9', (engine) => {
  it('should import every row exactly once when the job is killed mid-import and run again', async () => {
    const testDatabase = await createTestDatabase(engine);
    const { db } = testDatabase.database;
    const workspace = await createWorkspace({ db, name: 'Resume', standardObjects });
    const meta = await loadWorkspaceMeta(db, workspace.id);
    const rows = Array.from({ length: ROWS }, (_, i) => [`First${i}`, `Last${i}`, `person.${i}@resume.example`, `Company ${i % COMPANIES}`]);
    const caller = { db, workspace: meta, access: createFullAccess(meta), actorId: null, scopes: null };
    const csv = toCsv([['First Name', 'Last Name', 'Email', 'Company'], ...rows]);
    const source = (async function* () {
      yield Buffer.from(csv);
    })();
    const id = await receiveImportFile(caller, { fileName: 'resume.csv', source });
    await startImport(caller, id, { object: 'person', mapping: { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', Company: 'company' } });
    // The child needs the folder to itself (PGlite is one process); PostgreSQL stays open here.
    if (engine === 'pglite') await testDatabase.database.close();

    await killMidImport({ IMPORT_ID: id, IMPORT_BATCH_ROWS: String(BATCH), ...(testDatabase.databaseUrl ? { IMPORT_DATABASE_URL: testDatabase.databaseUrl } : { IMPORT_DATA_DIR: testDatabase.dataDir! }) });

    const database = engine === 'pglite' ? await openDatabase({ dataDir: testDatabase.dataDir! }) : testDatabase.database;
    const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.db)).rows[0]!.n;
    const half = await count(sql<{ n: number }>`select processed as n from rapport.import_run where id = ${id}`);
    expect(half).toBeGreaterThanOrEqual(4 * BATCH);
    expect(half).toBeLessThan(ROWS);
    expect(half % BATCH).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, 'person')}`)).toBe(half);

    const run = await runImport({ db: database.db, importId: id, loadWorkspace: (workspaceId) => loadWorkspaceMeta(database.db, workspaceId), batchRows: BATCH });

    expect(run).toMatchObject({ status: 'completed', processed: ROWS, created: ROWS, updated: 0, failed: 0, totalRows: ROWS });
    const { rows: emails } = await sql<{ email: string; n: number }>`select email, count(*)::int as n from ${sql.id(workspace.schema, 'person')} group by email`.execute(database.db);
    expect(emails).toHaveLength(ROWS);
    expect(emails.every((row) => row.n === 1)).toBe(true);
    expect(new Set(emails.map((row) => row.email))).toEqual(new Set(rows.map((row) => row[2])));
    expect(await count(sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, 'company')}`)).toBe(COMPANIES);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, 'person')} where company_id is null`)).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from rapport.import_record where import_id = ${id} and not is_related`)).toBe(ROWS);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from rapport.event where workspace_id = ${workspace.id} and object = 'person'`)).toBe(ROWS);
    await database.close();
    if (engine === 'pglite') await testDatabase.destroy().catch(() => undefined);
    else await testDatabase.destroy();
  }, 180_000);
});
