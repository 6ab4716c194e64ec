import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../setup/engines.ts';
import { CLI, prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';
import { freePort } from '../support/free-port.ts';

describeEngines('rapport CLI', (engine) => {
  let cli: CliDatabase | undefined;

  beforeAll(async () => {
    cli = await prepareCliDatabase(engine, 'cli-');
  });
  afterAll(async () => {
    await cli?.destroy();
  });

  // Each command is a new Node process loading the TypeScript sources: seconds each, more on a busy machine.
  const CLI_TEST_TIMEOUT = 240_000;

  const run = (...args: string[]) => runCli(cli!.env, ...args);

  it('should create a workspace and an API key, printing JSON with --json', () => {
    const workspace = run('workspace', 'create', 'Cli Co', '--json');
    expect(workspace.status, workspace.stderr).toBe(0);
    expect(workspace.json().workspace).toMatchObject({ name: 'Cli Co' });
    const key = run('apikey', 'create', '--workspace', 'Cli Co', '--json');
    expect(key.status, key.stderr).toBe(0);
    expect(key.json().token).toMatch(/^rap_[0-9a-f]{32}_/);
    const duplicate = run('workspace', 'create', 'Cli Co');
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
    const unknown = run('apikey', 'create', '--workspace', 'Nope', '--json');
    expect(unknown.status).toBe(1);
    expect(unknown.json()).toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
  }, CLI_TEST_TIMEOUT);

  it('should seed demo data', () => {
    const seeded = run('seed', '--demo', '--size', '50', '--opportunities', '30', '--json');
    expect(seeded.status, seeded.stderr).toBe(0);
    expect(seeded.json()).toMatchObject({ workspace: 'Demo', people: 50, opportunities: 30 });
  }, CLI_TEST_TIMEOUT);

  it('should serve the API from `start`, route CLI commands through the running server, and refuse a second server', async () => {
    const token = run('apikey', 'create', '--workspace', 'Cli Co', '--json').json().token as string;
    const port = await freePort();
    const server = spawn(process.execPath, [CLI, 'start'], { env: { ...process.env, ...cli!.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status, { timeout: 60_000, interval: 200 }).toBe(200);
      // The greeting follows the first answer: the worker starts after the server listens.
      await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain(`http://localhost:${port}`);
      const people = await fetch(`http://127.0.0.1:${port}/api/v1/records/person`, { headers: { authorization: `Bearer ${token}` } });
      expect(people.status).toBe(200);
      // While the server holds the embedded database, commands go through it.
      const listed = run('workspace', 'list', '--json');
      expect(listed.status, listed.stderr).toBe(0);
      expect(listed.json().workspaces.map((w: { name: string }) => w.name)).toEqual(expect.arrayContaining(['Cli Co', 'Demo']));
      if (engine === 'pglite') {
        const second = run('start');
        expect(second.status).toBe(1);
        expect(second.stderr).toMatch(/in use by a Rapport server/);
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    // The lock is released on a clean stop.
    expect(run('workspace', 'list', '--json').status).toBe(0);
  }, CLI_TEST_TIMEOUT);
});
