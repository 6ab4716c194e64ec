import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { openDatabase } from '../../packages/server/src/engine/db/database.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { createTestDatabase, describeEngines, type TestDatabase } from '../setup/engines.ts';

const CLI = join(process.cwd(), 'packages/cli/bin/rapport.js');
// Each command starts a process that opens the database.
const TIMEOUT = 240_000;

describeEngines('rapport config export / diff / apply', (engine) => {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let testDatabase: TestDatabase | undefined;
  let folder: string;

  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000, input: '' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(inject('rapportTestRunDir'), 'cli-config-files-'));
    if (engine === 'pglite') {
      dataDir = mkdtempSync(join(inject('rapportTestRunDir'), 'cli-config-'));
      cpSync(inject('rapportPgliteTemplate')!, join(dataDir, 'pglite'), { recursive: true });
      env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '' };
    } else {
      testDatabase = await createTestDatabase('postgres');
      await testDatabase.database.close();
      env = { DATABASE_URL: testDatabase.databaseUrl! };
    }
    const database = await openDatabase(dataDir ? { dataDir: join(dataDir, 'pglite') } : { databaseUrl: env.DATABASE_URL! });
    try {
      await createWorkspace({ db: database.db, name: 'Cli Config', standardObjects });
      await createWorkspace({ db: database.db, name: 'Other', standardObjects });
    } finally {
      await database.close();
    }
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (testDatabase) await testDatabase.destroy().catch(() => undefined);
  });

  it('should export a workspace\'s configuration, show the changes of an edited file, and apply them only when confirmed', async () => {
    const file = join(folder, 'configuration.yaml');
    const exported = run('config', 'export', file, '--workspace', 'Cli Config');
    expect(exported.status, exported.stderr).toBe(0);
    const stdout = run('config', 'export', '--workspace', 'Cli Config');
    expect(stdout.stdout.replace(/^exportedAt: .*$/m, '')).toBe(readFileSync(file, 'utf8').replace(/^exportedAt: .*$/m, ''));

    const document = parseYaml(readFileSync(file, 'utf8'));
    expect(document.workspace).toEqual({ name: 'Cli Config' });
    document.fields['person.nickname'] = { type: 'text', label: 'Nickname' };
    document.fields['person.jobTitle'].label = 'Position';
    writeFileSync(file, stringifyYaml(document));

    const diff = run('config', 'diff', file, '--workspace', 'Cli Config');
    expect(diff.status, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('~ fields person.jobTitle (People › Position)\n    label: "Job title" → "Position"');
    expect(diff.stdout).toContain('+ fields person.nickname (People › Nickname)');
    expect(diff.stdout).toContain('2 changes.');

    // Not on a terminal and without --yes: nothing is applied.
    const unconfirmed = run('config', 'apply', file, '--workspace', 'Cli Config');
    expect(unconfirmed.status).toBe(1);
    expect(unconfirmed.stderr).toContain('Add --yes to confirm.');

    const applied = run('config', 'apply', file, '--yes', '--workspace', 'Cli Config', '--json');
    expect(applied.status, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout.trim().split('\n').at(-1)!);
    expect(result.deployment).toMatchObject({ status: 'applied', source: { kind: 'file' } });
    expect(result.deployment.changes.map((change: { key: string }) => change.key)).toEqual(['person.jobTitle', 'person.nickname']);
    expect(run('config', 'diff', file, '--workspace', 'Cli Config').stdout).toContain('No changes');
  }, TIMEOUT);

  it('should refuse a bad file with the path of each problem, and ask which workspace when there are several', async () => {
    const file = join(folder, 'bad.yaml');
    writeFileSync(file, 'format: rapport.configuration\nversion: 2\nfields:\n  person.nickname:\n    label: Nickname\n');

    const bad = run('config', 'diff', file, '--workspace', 'Cli Config');
    const unnamed = run('config', 'export');

    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('version: This server reads version 1.');
    expect(bad.stderr).toContain('fields.person.nickname.type: type is required');
    expect(unnamed.status).toBe(1);
    expect(unnamed.stderr).toContain('Name the workspace with --workspace: Cli Config, Other.');
  }, TIMEOUT);
});
