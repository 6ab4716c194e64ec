import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAdminCommand } from '../../packages/server/src/admin/commands.ts';
import { pinOutputSettings, tableChecksums, type TableChecksum } from '../../packages/server/src/engine/backup/checksums.ts';
import { type Database } from '../../packages/server/src/engine/db/database.ts';
import { describeEngines } from '../setup/engines.ts';
import { CLI, prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';
import { freePort } from '../support/free-port.ts';

const TIMEOUT = 360_000;

describeEngines('rapport backup / restore', (engine) => {
  let cli: CliDatabase | undefined;
  let dataDir: string;
  // The tables as seeded, before any test.
  let seeded: TableChecksum[];

  const withDatabase: CliDatabase['withDatabase'] = (fn) => cli!.withDatabase(fn);
  const checksumsOf = (database: Database) => database.db.transaction().execute(async (trx) => {
    await pinOutputSettings(trx, true);
    return tableChecksums(trx);
  });
  const checksums = () => withDatabase(checksumsOf);
  const run = (...args: string[]) => runCli(cli!.env, ...args);
  // `rapport backup FILE` of the seeded database, taken once: the round trip checks it, the damage test spoils a copy.
  let manual: ReturnType<typeof run> | undefined;
  const manualFile = () => join(dataDir, 'manual.rbk');
  const manualBackup = () => (manual ??= run('backup', manualFile(), '--json'));

  beforeAll(async () => {
    // The backups go to the data folder on both engines.
    cli = await prepareCliDatabase(engine, 'cli-backup-');
    dataDir = cli.dataDir;
    seeded = await cli.withDatabase(async (database) => {
      // What `rapport workspace create` and `rapport seed --demo` run, in this process: the commands under test are spawned.
      await runAdminCommand(database, { command: 'workspace.create', name: 'Backup Co' });
      await runAdminCommand(database, { command: 'seed.demo', size: 40 });
      return checksumsOf(database);
    });
  }, TIMEOUT);

  afterAll(async () => {
    await cli?.destroy();
  });

  it('round trip: backup, verify, change, restore gives back identical checksums', async () => {
    const before = seeded;
    const file = manualFile();
    const backup = manualBackup();
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.json()).toMatchObject({ file, engine, rows: before.reduce((sum, table) => sum + table.rows, 0) });
    expect(backup.stderr).toContain('Backing up');
    // The manifest opens the file, readable as text.
    const [magic, manifest] = readFileSync(file).subarray(0, 200_000).toString('utf8').split('\n');
    expect(magic).toBe('RAPPORT-BACKUP 1');
    expect(JSON.parse(manifest!).tables).toEqual(before);

    const verify = run('backup', 'verify', file, '--json');
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.json()).toMatchObject({ isVerified: true, problems: [] });

    // Changes after the backup: a new workspace and deals deleted.
    const changed = await withDatabase(async (database) => {
      await runAdminCommand(database, { command: 'workspace.create', name: 'After Backup' });
      const { rows } = await sql<{ schema: string }>`select schema_name as schema from rapport.workspace where name = 'Demo'`.execute(database.db);
      await sql`delete from ${sql.id(rows[0]!.schema, 'opportunity')}`.execute(database.db);
      return checksumsOf(database);
    });
    expect(changed).not.toEqual(before);

    const refused = run('restore', file);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/--yes/);

    const restored = run('restore', file, '--yes', '--json');
    expect(restored.status, restored.stderr).toBe(0);
    const after = await withDatabase(async (database) => ({ tables: await checksumsOf(database), listed: await runAdminCommand(database, { command: 'workspace.list' }) }));
    expect(after.tables).toEqual(before);
    if (engine === 'pglite') {
      // The replaced database is kept aside.
      expect(existsSync(restored.json().previousDataDir)).toBe(true);
    }
    expect((after.listed.workspaces as { name: string }[]).map((w) => w.name).sort()).toEqual(['Backup Co', 'Demo']);
  }, TIMEOUT);

  it('refuses a damaged file and changes nothing', async () => {
    expect(manualBackup().status).toBe(0);
    const file = join(dataDir, 'damaged.rbk');
    const bytes = readFileSync(manualFile());
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(file, bytes);
    const before = await checksums();
    const verify = run('backup', 'verify', file, '--json');
    expect(verify.status).toBe(1);
    expect(verify.json()).toMatchObject({ code: 'BACKUP_INVALID' });
    expect(verify.json().error).toMatch(/damaged/);
    const restore = run('restore', file, '--yes');
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/not a usable Rapport backup.*damaged/);
    const truncated = join(dataDir, 'truncated.rbk');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    expect(run('restore', truncated, '--yes').stderr).toMatch(/truncated/);
    expect(await checksums()).toEqual(before);
  }, TIMEOUT);

  it('backs up while the server runs; restore is refused on the embedded engine until it stops', async () => {
    const port = await freePort();
    const server = spawn(process.execPath, [CLI, 'start'], { env: { ...process.env, ...cli!.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let file = '';
    try {
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status, { timeout: 60_000, interval: 200 }).toBe(200);
      // Without FILE: a file of its own name in the backup folder.
      const backup = run('backup', '--json');
      expect(backup.status, `${backup.stderr}\n${output}`).toBe(0);
      file = backup.json().file;
      expect(run('backup', 'verify', file, '--json').json()).toMatchObject({ isVerified: true });
      if (engine === 'pglite') {
        const restore = run('restore', file, '--yes');
        expect(restore.status).toBe(1);
        expect(restore.stderr).toMatch(/in use by a Rapport server .*stop it first/);
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    if (engine === 'pglite') expect(run('restore', file, '--yes').status).toBe(0);
    expect(readdirSync(join(dataDir, 'backups')).some((name) => /^rapport-backup-.*\.rbk$/.test(name))).toBe(true);
  }, TIMEOUT);
});
