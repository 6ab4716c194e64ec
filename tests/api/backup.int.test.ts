import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { loadConfig } from '../../packages/server/src/config/config.ts';
import { createBackup, restorePglite, restorePostgres, verifyBackup } from '../../packages/server/src/engine/backup/backup.ts';
import { BACKUP_JOB, createBackupJobHandler } from '../../packages/server/src/engine/backup/backup-runs.ts';
import { pinOutputSettings, tableChecksums } from '../../packages/server/src/engine/backup/checksums.ts';
import { type Database } from '../../packages/server/src/engine/db/database.ts';
import { migrate, type Migration } from '../../packages/server/src/engine/db/migrate.ts';
import { systemMigrations } from '../../packages/server/src/engine/db/migrations/index.ts';
import { createApiKey } from '../../packages/server/src/engine/identity/api-key.service.ts';
import { cancelJob, enqueueJob, startWorker, type Worker } from '../../packages/server/src/engine/jobs/index.ts';
import { createWorkspace } from '../../packages/server/src/engine/workspaces/workspace.service.ts';
import { standardObjects } from '../../packages/server/src/modules/index.ts';
import { startServer } from '../../packages/server/src/server.ts';
import { describeEngines } from '../setup/engines.ts';
import { prepareCliDatabase } from '../support/cli-database.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addMember, signIn } from '../support/workspace-members.ts';

const checksumsOf = (database: Database) =>
  database.db.transaction().execute(async (trx) => {
    await pinOutputSettings(trx, true);
    return tableChecksums(trx);
  });

const DAY_MS = 86_400_000;

describeEngines('backups', (engine) => {
  let t: TestApp;
  let dir: string;
  let backupDir: string;
  let worker: Worker | undefined;
  let personId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(inject('rapportTestRunDir'), 'backups-'));
    backupDir = join(dir, 'scheduled');
    t = await createTestApp(engine, 'Backup Co', { config: { backupDir } });
    // Records, metadata (a custom field), history.
    const field = await t.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'shoeSize', label: 'Shoe size', type: 'number' });
    expect(field.status).toBe(201);
    const created = await t.request('POST', '/api/v1/records/person', { firstName: 'Ada', lastName: 'Lovelace', shoeSize: 38 });
    expect(created.status).toBe(201);
    personId = created.body.id;
    expect((await t.request('PATCH', `/api/v1/records/person/${personId}`, { shoeSize: 39 })).status).toBe(200);
  });

  afterAll(async () => {
    await worker?.stop();
    await restored?.then((target) => target.destroy());
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  // A database to restore into: a fresh folder (PGlite) or a fresh database (PostgreSQL) with other content.
  type RestoreTarget = { open(): Promise<Database>; restore(file: string): Promise<unknown>; destroy(): Promise<void> };
  const restoreTarget = async (): Promise<RestoreTarget> => {
    const target = await prepareCliDatabase(engine, 'restore-');
    await target.withDatabase((seeded) => createWorkspace({ db: seeded.db, name: 'Overwritten', standardObjects }));
    return {
      open: target.open,
      restore: (file) => (target.databaseUrl ? restorePostgres(file, target.databaseUrl) : restorePglite(file, join(target.dataDir, 'pglite'))),
      destroy: target.destroy,
    };
  };
  // One target for the round trip, then for the refused restores that must leave it as it is; removed in afterAll.
  let restored: Promise<RestoreTarget> | undefined;
  const sharedTarget = () => (restored ??= restoreTarget());
  // The round trip's backup, written once: the refusals spoil copies of it.
  let roundTrip: ReturnType<typeof createBackup> | undefined;
  const roundTripFile = () => join(dir, 'round-trip.rbk');
  const roundTripBackup = () => (roundTrip ??= createBackup(t.testDatabase.database, roundTripFile()));

  it('backup → verify → restore gives identical checksums (records, a custom field, history)', async () => {
    const before = await checksumsOf(t.testDatabase.database);
    const person = before.find((table) => table.table === `${t.workspace.schema}.person`);
    expect(person?.rows).toBe(1);
    expect(before.find((table) => table.table === `${t.workspace.schema}.record_history` || table.table.endsWith('history'))?.rows).toBeGreaterThan(0);
    const file = roundTripFile();
    const backup = await roundTripBackup();
    expect(backup.manifest).toMatchObject({ engine, format: 'rapport-backup', migrationLevel: systemMigrations.at(-1)!.name });
    expect(backup.manifest.tables).toEqual(before);
    const verified = await verifyBackup(file, { connectionString: t.testDatabase.databaseUrl });
    expect(verified.problems).toEqual([]);
    expect(verified.isVerified).toBe(true);
    console.info(`[${engine}] backup ${backup.durationMs} ms, ${backup.bytes} bytes; verify ${verified.durationMs} ms`);

    const target = await sharedTarget();
    await target.restore(file);
    const restored = await target.open();
    try {
      expect(await checksumsOf(restored)).toEqual(before);
      const { rows } = await sql<{ name: string }>`select name from rapport.workspace order by name`.execute(restored.db);
      expect(rows.map((row) => row.name)).toEqual(['Backup Co']);
      const { rows: people } = await sql<{ shoe_size: number }>`select shoe_size from ${sql.id(t.workspace.schema, 'person')} where id = ${personId}`.execute(restored.db);
      expect(people[0]?.shoe_size).toBe(39);
    } finally {
      await restored.close();
    }
  }, 180_000);

  it('refuses a damaged or truncated file, a backup of the other engine and one from a newer Rapport, changing nothing', async () => {
    await roundTripBackup();
    const file = roundTripFile();
    const bytes = readFileSync(file);
    const damaged = join(dir, 'damaged.rbk');
    const copy = Buffer.from(bytes);
    copy[copy.length - 50] = copy[copy.length - 50]! ^ 0xff;
    writeFileSync(damaged, copy);
    const truncated = join(dir, 'truncated.rbk');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
    const notABackup = join(dir, 'notes.txt');
    writeFileSync(notABackup, 'hello\nworld\n');
    const [magic, manifestLine] = bytes.toString('latin1').split('\n', 2);
    const manifest = JSON.parse(manifestLine!);
    const newer = join(dir, 'newer.rbk');
    writeFileSync(newer, Buffer.concat([Buffer.from(`${magic}\n${JSON.stringify({ ...manifest, migrations: [...manifest.migrations, '999-from-the-future'], migrationLevel: '999-from-the-future' })}\n`), bytes.subarray(magic!.length + manifestLine!.length + 2)]));

    const target = await sharedTarget();
    const reference = await target.open();
    const before = await checksumsOf(reference);
    await reference.close();
    await expect(target.restore(damaged)).rejects.toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringMatching(/damaged/) });
    await expect(target.restore(truncated)).rejects.toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringMatching(/truncated/) });
    await expect(target.restore(notABackup)).rejects.toMatchObject({ code: 'BACKUP_INVALID', message: expect.stringMatching(/RAPPORT-BACKUP/) });
    await expect(target.restore(newer)).rejects.toMatchObject({ code: 'BACKUP_TOO_NEW', message: expect.stringMatching(/999-from-the-future/) });
    await expect(verifyBackup(damaged, { connectionString: t.testDatabase.databaseUrl })).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    const other = engine === 'pglite' ? restorePostgres(file, 'postgres://nobody@127.0.0.1:1/none') : restorePglite(file, join(dir, 'never'));
    await expect(other).rejects.toMatchObject({ code: 'BACKUP_ENGINE_MISMATCH' });
    const after = await target.open();
    expect(await checksumsOf(after)).toEqual(before);
    await after.close();
  }, 180_000);

  it('API: admins of the first workspace only', async () => {
    const db = t.testDatabase.database.db;
    const second = await createWorkspace({ db, name: 'Second Co', standardObjects });
    const secondKey = (await createApiKey(db, { workspaceId: second.id })).token;
    const rep = await addMember(db, { workspaceId: t.workspace.id, role: 'Sales rep' });
    const repSession = await signIn(db, { workspaceId: t.workspace.id, userId: rep.id });
    for (const token of [secondKey, repSession]) {
      const auth = { authorization: `Bearer ${token}` };
      for (const [method, url, body] of [['GET', '/api/v1/backups'], ['POST', '/api/v1/backups'], ['PUT', '/api/v1/backups/settings', { isEnabled: true, cron: '@daily', timezone: 'UTC', keepDays: 1, keepLast: 1 }]] as const) {
        const response = await t.request(method, url, body, auth);
        expect(response.status, `${method} ${url}`).toBe(403);
        expect(response.body.code).toBe('FORBIDDEN');
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
    const overview = await t.request('GET', '/api/v1/backups');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({ engine, folder: backupDir, settings: { isEnabled: false, cron: '30 3 * * *', timezone: 'UTC', keepDays: 14, keepLast: 7 }, nextRunAt: null, isOverdue: false });
  });

  it('API: settings are validated and schedule the job', async () => {
    const bad = await t.request('PUT', '/api/v1/backups/settings', { isEnabled: true, cron: 'every full moon', timezone: 'UTC', keepDays: 7, keepLast: 3 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'cron' });
    const zone = await t.request('PUT', '/api/v1/backups/settings', { isEnabled: true, cron: '@daily', timezone: 'Mars/Olympus', keepDays: 7, keepLast: 3 });
    expect(zone.status).toBe(422);
    const shape = await t.request('PUT', '/api/v1/backups/settings', { isEnabled: true, cron: '@daily', timezone: 'UTC', keepDays: 0, keepLast: 3 });
    expect(shape.status).toBe(400);
    const saved = await t.request('PUT', '/api/v1/backups/settings', { isEnabled: true, cron: '0 2 * * *', timezone: 'Europe/Paris', keepDays: 7, keepLast: 2 });
    expect(saved.status).toBe(200);
    const overview = await t.request('GET', '/api/v1/backups');
    expect(overview.body.settings).toEqual({ isEnabled: true, cron: '0 2 * * *', timezone: 'Europe/Paris', keepDays: 7, keepLast: 2 });
    expect(new Date(overview.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    // On, and no verified backup yet: overdue.
    expect(overview.body.isOverdue).toBe(true);
  });

  it('a run whose job ended without it (the server stopped mid-run, or it was cancelled) reads as failed and blocks nothing', async () => {
    const db = t.testDatabase.database.db;
    // The job's lease ran out while the run was marked running: the worker failed the job, nobody the run.
    const job = await enqueueJob(db, { type: BACKUP_JOB, payload: {}, maxAttempts: 1 });
    await sql`update rapport.job set status = 'failed', last_error = 'Lease expired while running on w1 (worker stopped or stalled)', finished_at = now() where id = ${job.id}`.execute(db);
    const cutOff = randomUUID();
    await sql`insert into rapport.backup_run (id, trigger, status, job_id, started_at) values (${cutOff}, 'manual', 'running', ${job.id}, now())`.execute(db);
    type Run = { id: string; status: string; error: string | null; finishedAt: string | null; jobId: string };
    const runOf = async (id: string) => ((await t.request('GET', '/api/v1/backups')).body.runs as Run[]).find((run) => run.id === id);
    expect(await runOf(cutOff)).toMatchObject({ status: 'failed', error: expect.stringMatching(/Lease expired/), finishedAt: expect.any(String) });

    const asked = await t.request('POST', '/api/v1/backups');
    expect(asked.status).toBe(202);
    // Cancelled before a worker took it (no worker runs yet): failed too, and the next run may start.
    expect(await cancelJob(db, asked.body.jobId)).toBe(true);
    expect(await runOf(asked.body.id)).toMatchObject({ status: 'failed', finishedAt: expect.any(String) });
  });

  it('a run asked for through the API writes, verifies and prunes by retention; a scheduled run too', async () => {
    const db = t.testDatabase.database.db;
    // Old backups: two older than keepDays (7), one recent.
    mkdirSync(backupDir, { recursive: true });
    const old = ['rapport-backup-2020-01-01T00-00-00Z.rbk', 'rapport-backup-2020-01-02T00-00-00Z.rbk'];
    for (const name of [...old, 'rapport-backup-recent.rbk', 'unrelated.txt']) writeFileSync(join(backupDir, name), 'x');
    const longAgo = new Date(Date.now() - 30 * DAY_MS);
    for (const name of [...old, 'unrelated.txt']) utimesSync(join(backupDir, name), longAgo, longAgo);

    worker = startWorker({ db, handlers: { [BACKUP_JOB]: createBackupJobHandler({ database: t.testDatabase.database, backupDir }) }, pollIntervalMs: 50, maintenanceIntervalMs: 100, concurrency: 1 });
    const asked = await t.request('POST', '/api/v1/backups');
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ trigger: 'manual', status: 'queued', isVerified: false });
    const again = await t.request('POST', '/api/v1/backups');
    expect([202, 409]).toContain(again.status);
    if (again.status === 409) expect(again.body.code).toBe('BACKUP_IN_PROGRESS');

    const runOf = async (id: string) => ((await t.request('GET', '/api/v1/backups')).body.runs as { id: string; status: string }[]).find((run) => run.id === id);
    await expect.poll(async () => (await runOf(asked.body.id))?.status, { timeout: 120_000, interval: 250 }).toBe('completed');
    const overview = (await t.request('GET', '/api/v1/backups')).body;
    const run = overview.runs.find((candidate: { id: string }) => candidate.id === asked.body.id);
    expect(run).toMatchObject({ isVerified: true, problems: [], error: null });
    expect(run.bytes).toBeGreaterThan(1000);
    expect(run.pruned.sort()).toEqual(old.map((name) => join(backupDir, name)).sort());
    expect(overview.lastVerified.id).toBe(asked.body.id);
    expect(overview.isOverdue).toBe(false);
    const left = readdirSync(backupDir).sort();
    expect(left).toEqual(expect.arrayContaining(['rapport-backup-recent.rbk', 'unrelated.txt']));
    expect(left.filter((name) => old.includes(name))).toEqual([]);
    expect((await verifyBackup(run.file, { connectionString: t.testDatabase.databaseUrl })).isVerified).toBe(true);

    // The schedule comes due: the worker's tick enqueues a scheduled run.
    await sql`update rapport.job_schedule set next_run_at = now() - interval '1 minute' where name = 'platform.backup'`.execute(db);
    await expect
      .poll(async () => ((await t.request('GET', '/api/v1/backups')).body.runs as { trigger: string; status: string }[]).find((candidate) => candidate.trigger === 'scheduled')?.status, { timeout: 120_000, interval: 250 })
      .toBe('completed');
    const scheduled = (await t.request('GET', '/api/v1/backups')).body.runs.find((candidate: { trigger: string }) => candidate.trigger === 'scheduled');
    expect(scheduled.isVerified).toBe(true);
    // keepLast 2: both verified backups stay, whatever retention says.
    expect(readdirSync(backupDir).filter((name) => name.endsWith('.rbk') && name !== 'rapport-backup-recent.rbk')).toHaveLength(2);
  }, 300_000);

  it('a failing migration rolls back: the database is unchanged and the server refuses to start', async () => {
    // The data folder on both engines, as the server below is given it.
    const prepared = await prepareCliDatabase(engine, 'server-');
    const database = await prepared.open();
    try {
      await createWorkspace({ db: database.db, name: 'Kept', standardObjects });
      const before = await checksumsOf(database);
      const failing: Migration = {
        name: '999-test-failing',
        async up(db) {
          await sql`create table rapport.half_done (id int)`.execute(db);
          await sql`update rapport.workspace set name = 'Changed'`.execute(db);
          await sql`select 1 / 0`.execute(db);
        },
      };
      const migrations = [...systemMigrations, failing];
      await expect(migrate(database.db, { migrations })).rejects.toThrow(/Migration 999-test-failing failed and was rolled back: the database is unchanged at level .*division by zero/);
      expect(await checksumsOf(database)).toEqual(before);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_tables where schemaname = 'rapport' and tablename = 'half_done'`.execute(database.db);
      expect(rows[0]?.n).toBe(0);

      // The server runs the migrations at start, and refuses to start when one fails.
      // The embedded database has one user at a time: the server opens it next.
      if (engine === 'pglite') await database.close();
      const config = loadConfig({ ...prepared.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RAPPORT_WORKER: 'off', RAPPORT_SECRET: 'backup-test-secret-0123456789abcdef' });
      await expect(startServer(config, { migrations })).rejects.toThrow(/Migration 999-test-failing failed and was rolled back/);
      const reopened = engine === 'pglite' ? await prepared.open() : database;
      try {
        expect(await checksumsOf(reopened)).toEqual(before);
        // A database a newer Rapport migrated is refused by this one.
        await sql`insert into rapport.migration (name) values ('999-from-a-newer-version')`.execute(reopened.db);
        await expect(migrate(reopened.db)).rejects.toThrow(/migrated by a newer Rapport \(999-from-a-newer-version/);
      } finally {
        if (engine === 'pglite') await reopened.close();
      }
    } finally {
      if (engine !== 'pglite') await database.close();
      await prepared.destroy();
    }
  }, 180_000);
});
