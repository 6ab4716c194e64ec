import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createWorkspace, type WorkspaceSummary } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { CLI, prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';
import { parseCsv } from '../support/csv.ts';
import { freePort } from '../support/free-port.ts';
import { toCsv } from '../support/imports.ts';

const TIMEOUT = 240_000;

describeEngines('rapport import', (engine) => {
  let cli: CliDatabase | undefined;
  let workspace: WorkspaceSummary;
  let folder: string;

  const countPeople = (domain: string) =>
    cli!.withDatabase(async (database) => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(workspace.schema, 'person')} where email like ${`%@${domain}`} and deleted_at is null`.execute(database.db);
      return rows[0]!.n;
    });
  const run = (...args: string[]) => runCli(cli!.env, ...args);

  beforeAll(async () => {
    folder = mkdtempSync(join(inject('rapportTestRunDir'), 'cli-import-files-'));
    cli = await prepareCliDatabase(engine, 'cli-import-');
    workspace = await cli.withDatabase((database) => createWorkspace({ db: database.db, name: 'Cli Import', standardObjects }));
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await cli?.destroy();
  });

  it('successful-import: should import a file with a mapping file, print progress and a summary, and write the rejected rows beside it', async () => {
    const file = join(folder, 'people.csv');
    const rows = Array.from({ length: 1500 }, (_, i) => [`Ada${i}`, `Lovelace${i}`, `ada.${i}@cli-import.example`, `Company ${i % 7}`]);
    writeFileSync(file, toCsv([['Given', 'Family', 'Mail', 'Employer'], ...rows, ['Bad', 'Row', 'not-an-email', '']]));
    const map = join(folder, 'map.json');
    writeFileSync(map, JSON.stringify({ Given: 'firstName', Family: 'lastName', Mail: 'email', Employer: 'company' }));

    const result = run('import', file, '--object', 'person', '--map', map, '--workspace', 'Cli Import');

    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/1000 rows: 1000 created, 0 updated, 0 failed/);
    expect(result.stdout).toContain('Imported into person (Cli Import): 1501 rows: 1500 created, 0 updated, 1 failed.');
    expect(result.stdout).toContain(`Rejected rows and why: ${file}.errors.csv`);
    const errors = parseCsv(readFileSync(`${file}.errors.csv`, 'utf8').replace(/^\uFEFF/, ''));
    expect(errors[1]!.slice(0, 4)).toEqual(['1501', 'Mail', 'email', 'invalidEmail']);
    expect(await countPeople('cli-import.example')).toBe(1500);
  }, TIMEOUT);

  it('successful-upsert: should update with --upsert-on and count without writing in --dry-run (JSON output)', async () => {
    const file = join(folder, 'update.csv');
    writeFileSync(file, toCsv([['First Name', 'Last Name', 'Email', 'Job Title'], ['Ada0', 'Lovelace0', 'ada.0@cli-import.example', 'Countess'], ['New', 'Person', 'new@cli-upsert.example', '']]));

    const dry = run('import', file, '--object', 'person', '--upsert-on', 'email', '--dry-run', '--json');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.json()).toMatchObject({ status: 'completed', dryRun: true, created: 1, updated: 1, failed: 0 });
    expect(await countPeople('cli-upsert.example')).toBe(0);

    const real = run('import', file, '--object', 'person', '--upsert-on', 'email', '--json');
    expect(real.status, real.stderr).toBe(0);
    expect(real.json()).toMatchObject({ status: 'completed', created: 1, updated: 1, workspace: 'Cli Import' });
    expect(await countPeople('cli-upsert.example')).toBe(1);
  }, TIMEOUT);

  it('failing-import: should explain a missing file and an unknown object', () => {
    const missing = run('import', join(folder, 'nope.csv'), '--object', 'person');
    const unknownObject = run('import', join(folder, 'update.csv'), '--object', 'starship');

    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No file .*nope\.csv/);
    expect(unknownObject.status).toBe(1);
    expect(unknownObject.stderr).toMatch(/no object "starship"/);
  }, TIMEOUT);

  // Only the embedded database is held by a server; on PostgreSQL the CLI always runs the import itself.
  if (engine === 'pglite') it('successful-import: should hand the import to the running server that holds the embedded database and follow it', async () => {
    const file = join(folder, 'via-server.csv');
    writeFileSync(file, toCsv([['First Name', 'Last Name', 'Email'], ...Array.from({ length: 30 }, (_, i) => [`Via${i}`, 'Server', `via.${i}@cli-server.example`])]));
    const port = await freePort();
    const server = spawn(process.execPath, [CLI, 'start'], { env: { ...process.env, ...cli!.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status, { timeout: 60_000, interval: 200 }).toBe(200);

      const result = run('import', file, '--object', 'person', '--json');

      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toContain('queued on the running server');
      expect(result.json()).toMatchObject({ status: 'completed', created: 30, failed: 0 });
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    expect(await countPeople('cli-server.example')).toBe(30);
  }, TIMEOUT);
});
