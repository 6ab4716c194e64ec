import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../packages/server/src/app.ts';
import { acquireDataDirLock } from '../../packages/server/src/engine/db/data-dir-lock.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { masterKeyFromSecret } from '../../packages/server/src/engine/identity/secret-box.ts';
import { createWorkspace, type WorkspaceSummary } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { describeEngines } from '../setup/engines.ts';
import { CLI, prepareCliDatabase, runCli, type CliDatabase } from '../support/cli-database.ts';
import { personFactory } from '../support/factories.ts';

const SECRET = 'cli-keys-test-secret-0123456789-abcdefghij';
const NEXT_SECRET = 'cli-keys-test-next-secret-9876543210-zyxwv';
const RECORDS = 12;

describeEngines('rapport keys', (engine) => {
  let cli: CliDatabase | undefined;
  let workspace: WorkspaceSummary;

  const withDatabase: CliDatabase['withDatabase'] = (fn) => cli!.withDatabase(fn);
  const sealedVersions = () =>
    withDatabase(async (database) => {
      const { rows } = await sql<{ tax_id: string }>`select tax_id from ${sql.id(workspace.schema, 'person')} where tax_id is not null`.execute(database.db);
      return rows.map((row) => Number(row.tax_id.split(':')[1]));
    });
  // The records as a server with `secret` reads them.
  const readTaxIds = (secret: string) =>
    withDatabase(async (database) => {
      const app = await buildApp({ database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, masterKey: masterKeyFromSecret(secret) });
      try {
        const { token } = await createApiKey(database.db, { workspaceId: workspace.id, name: 'reader' });
        const response = await app.inject({ method: 'GET', url: '/api/v1/records/person?limit=100', headers: { authorization: `Bearer ${token}` } });
        if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
        return (JSON.parse(response.body) as { data: { taxId?: string }[] }).data.map((record) => record.taxId).filter(Boolean).sort();
      } finally {
        await app.close();
      }
    });
  const cliEnv = (secret = SECRET) => ({ ...cli!.env, RAPPORT_SECRET: secret });
  const run = (args: string[], secret = SECRET) => runCli(cliEnv(secret), ...args);
  /** Runs the command and SIGKILLs it once it has reported `batches` committed batches. */
  const killAfterBatches = (args: string[], batches: number) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...cliEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
      let progress = '';
      child.stderr.on('data', (chunk: Buffer) => {
        progress += chunk.toString();
        if ((progress.match(/re-encrypted\n/g) ?? []).length >= batches) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the command ended before it was killed: ${progress}`))));
    });

  beforeAll(async () => {
    cli = await prepareCliDatabase(engine, 'cli-keys-');
    await withDatabase(async (database) => {
      workspace = await createWorkspace({ db: database.db, name: 'Cli Keys', standardObjects });
      const app = await buildApp({ database, config: { bodyLimit: 1024 * 1024, corsOrigins: [], logLevel: 'silent' }, logger: false, masterKey: masterKeyFromSecret(SECRET) });
      try {
        const { token } = await createApiKey(database.db, { workspaceId: workspace.id, name: 'setup' });
        const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect((await post('/api/v1/metadata/objects/person/fields', { name: 'taxId', type: 'text', label: 'Tax id', options: { encrypted: true } })).statusCode).toBe(201);
        const records = Array.from({ length: RECORDS }, (_, n) => personFactory.build({ lastName: `Keys${n}`, taxId: `CLI-TAX-${String(n).padStart(2, '0')}` }));
        expect((await post('/api/v1/records/person/batch', { records })).statusCode).toBeLessThan(300);
      } finally {
        await app.close();
      }
    });
  }, 120_000);
  afterAll(async () => {
    await cli?.destroy();
  });

  const expected = Array.from({ length: RECORDS }, (_, n) => `CLI-TAX-${String(n).padStart(2, '0')}`);

  it('successful-resume: should leave every value readable when rotate-data-key is killed half way, and finish with keys reencrypt', async () => {
    expect(await sealedVersions()).toEqual(Array(RECORDS).fill(1));
    await killAfterBatches(['keys', 'rotate-data-key', '--workspace', 'cli keys', '--batch-size', '1'], 3);

    const half = await sealedVersions();
    expect(half.filter((version) => version === 2).length).toBeGreaterThanOrEqual(3);
    expect(half.filter((version) => version === 1).length).toBeGreaterThan(0);
    expect(await readTaxIds(SECRET)).toEqual(expected);

    const resumed = run(['keys', 'reencrypt', '--workspace', 'Cli Keys', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.json()).toEqual({ workspaces: [expect.objectContaining({ workspace: 'Cli Keys', keyVersion: 2, records: half.filter((version) => version === 1).length })] });
    expect(await sealedVersions()).toEqual(Array(RECORDS).fill(2));
    expect(await readTaxIds(SECRET)).toEqual(expected);
  }, 240_000);

  it('failing-rotate: should refuse a master-key rotation while a server holds the embedded database, and one without a new key file', async () => {
    const usage = run(['keys', 'rotate-master-key']);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toContain('--new-key-file');
    if (engine !== 'pglite') return;
    const lock = acquireDataDirLock(cli!.dataDir, 45_678);
    try {
      const refused = run(['keys', 'rotate-master-key', '--new-key-file', join(cli!.dataDir, 'next.key')]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/server holds the data folder.*stop it first/s);
    } finally {
      lock.release();
    }
  }, 240_000);

  it('successful-rotate: should re-seal under a new RAPPORT_SECRET, after which only the new one reads the records', async () => {
    const file = join(cli!.dataDir, 'next-secret.txt');
    writeFileSync(file, `${NEXT_SECRET}\n`);
    const rotated = run(['keys', 'rotate-master-key', '--new-key-file', file, '--json']);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.json()).toMatchObject({ resealed: { 'workspace data keys': 2 }, keySource: 'env', keyFile: null });
    expect(await readTaxIds(NEXT_SECRET)).toEqual(expected);
    await expect(readTaxIds(SECRET)).rejects.toThrow('status 500');
    const human = run(['keys', 'reencrypt', '--all'], NEXT_SECRET);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('Cli Keys: data key 2; re-encrypted 0 values');
    expect(human.stdout).toMatch(/Kept data key 1 while the new key settles: run keys reencrypt after \S+ to delete it\./);
  }, 240_000);

  it('successful-retire: should delete the old data key once the rotation settled, saying so', async () => {
    const keyVersions = () => withDatabase(async (database) => (await sql<{ version: number }>`select version from rapport.workspace_key where workspace_id = ${workspace.id} order by version`.execute(database.db)).rows.map((row) => row.version));
    expect(await keyVersions()).toEqual([1, 2]);
    // The rotation was made more than the settling time ago.
    await withDatabase((database) => sql`update rapport.workspace_key set created_at = created_at - interval '11 minutes' where workspace_id = ${workspace.id}`.execute(database.db));

    const status = run(['keys', 'status', '--workspace', 'Cli Keys']);
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Cli Keys: data key 1, made \S+, used by nothing: keys reencrypt deletes it\./);
    expect(status.stdout).toMatch(/Cli Keys: data key 2 \(current\), made \S+, used by .*person\.tax_id/);

    const retired = run(['keys', 'reencrypt', '--workspace', 'Cli Keys'], NEXT_SECRET);

    expect(retired.status, retired.stderr).toBe(0);
    expect(retired.stdout).toContain('Cli Keys: data key 2; re-encrypted 0 values, 0 history entries, 0 events. Deleted data key 1: nothing refers to it any more.');
    expect(await keyVersions()).toEqual([2]);
    expect(await readTaxIds(NEXT_SECRET)).toEqual(expected);
    const after = run(['keys', 'status', '--all', '--json']);
    expect(after.json().workspaces).toEqual([expect.objectContaining({ workspace: 'Cli Keys', blindKeyKeptApart: true, versions: [expect.objectContaining({ version: 2, isCurrent: true })] })]);
  }, 240_000);
});
