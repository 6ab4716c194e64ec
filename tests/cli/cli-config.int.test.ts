import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';

// Each command starts a process that opens the database.
const TIMEOUT = 240_000;

describeEngines('rapport config export / diff / apply', (engine) => {
  let cli: CliDatabase | undefined;
  let folder: string;

  const run = (...args: string[]) => runCli(cli!.env, ...args);

  beforeAll(async () => {
    folder = mkdtempSync(join(inject('rapportTestRunDir'), 'cli-config-files-'));
    cli = await prepareCliDatabase(engine, 'cli-config-');
    await cli.withDatabase(async (database) => {
      await createWorkspace({ db: database.db, name: 'Cli Config', standardObjects });
      await createWorkspace({ db: database.db, name: 'Other', standardObjects });
    });
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await cli?.destroy();
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
