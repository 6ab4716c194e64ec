import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupRun, BackupRunStatus, BackupSettings } from '@rapport/common';
import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { enqueueJob, findSchedule, upsertSchedule, type JobHandler } from '../jobs/index.ts';

export const BACKUP_JOB = 'platform.backup';
const BACKUP_SCHEDULE = 'platform.backup';

interface RunRow {
  id: string;
  trigger: BackupRun['trigger'];
  status: BackupRunStatus;
  job_id: string | null;
  file: string | null;
  bytes: number | null;
  is_verified: boolean;
  problems: string[];
  error: string | null;
  backup_ms: number | null;
  verify_ms: number | null;
  pruned: string[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const toRun = (row: RunRow): BackupRun => ({
  id: row.id,
  trigger: row.trigger,
  status: row.status,
  jobId: row.job_id,
  file: row.file,
  bytes: row.bytes === null ? null : Number(row.bytes),
  isVerified: row.is_verified,
  problems: row.problems,
  error: row.error,
  backupMs: row.backup_ms,
  verifyMs: row.verify_ms,
  pruned: row.pruned,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

const DEFAULT_BACKUP_SETTINGS: BackupSettings = { isEnabled: false, cron: '30 3 * * *', timezone: 'UTC', keepDays: 14, keepLast: 7 };

export const getBackupSettings = async (db: Db): Promise<BackupSettings> => {
  const { rows } = await sql<{ enabled: boolean; cron: string; timezone: string; keep_days: number; keep_last: number }>`select * from rapport.backup_settings where id = 1`.execute(db);
  const row = rows[0];
  return row ? { isEnabled: row.enabled, cron: row.cron, timezone: row.timezone, keepDays: row.keep_days, keepLast: row.keep_last } : { ...DEFAULT_BACKUP_SETTINGS };
};

/** Stores the settings and points the recurring job at them (VALIDATION_FAILED on a bad cron or time zone: upsertSchedule checks them, and nothing is stored). */
export const saveBackupSettings = async (db: Db, settings: BackupSettings): Promise<BackupSettings> => {
  await db.transaction().execute(async (trx) => {
    await sql`
      insert into rapport.backup_settings (id, enabled, cron, timezone, keep_days, keep_last, updated_at)
      values (1, ${settings.isEnabled}, ${settings.cron}, ${settings.timezone}, ${settings.keepDays}, ${settings.keepLast}, now())
      on conflict (id) do update set enabled = excluded.enabled, cron = excluded.cron, timezone = excluded.timezone,
        keep_days = excluded.keep_days, keep_last = excluded.keep_last, updated_at = now()`.execute(trx);
    await upsertSchedule(trx, { name: BACKUP_SCHEDULE, cron: settings.cron, timezone: settings.timezone, type: BACKUP_JOB, payload: { trigger: 'scheduled' }, isEnabled: settings.isEnabled });
  });
  return getBackupSettings(db);
};

export const nextScheduledRun = async (db: Db): Promise<string | null> => {
  const schedule = await findSchedule(db, BACKUP_SCHEDULE);
  return schedule?.isEnabled ? schedule.nextRunAt : null;
};

// A run still queued or running whose job has ended (the server stopped mid-run and the job's lease ran
// out, or the job was cancelled) was cut off: it reads as failed, with the job's error, and blocks nothing.
const CUT_OFF = sql`r.status in ('queued', 'running') and j.status in ('completed', 'failed', 'cancelled')`;
const selectRuns = sql`
  select r.id, r.trigger, r.job_id, r.file, r.bytes, r.is_verified, r.problems, r.backup_ms, r.verify_ms, r.pruned, r.created_at, r.started_at,
    case when ${CUT_OFF} then 'failed' else r.status end as status,
    case when ${CUT_OFF} then coalesce(j.last_error, 'The run was cut off before it finished.') else r.error end as error,
    case when ${CUT_OFF} then coalesce(j.finished_at, j.updated_at) else r.finished_at end as finished_at
  from rapport.backup_run r left join rapport.job j on j.id = r.job_id`;

export const listBackupRuns = async (db: Db, limit = 20): Promise<BackupRun[]> => {
  const { rows } = await sql<RunRow>`${selectRuns} order by r.created_at desc, r.id desc limit ${limit}`.execute(db);
  return rows.map(toRun);
};

export const lastVerifiedBackup = async (db: Db): Promise<BackupRun | null> => {
  const { rows } = await sql<RunRow>`${selectRuns} where r.status = 'completed' and r.is_verified order by r.finished_at desc limit 1`.execute(db);
  return rows[0] ? toRun(rows[0]) : null;
};

const getBackupRun = async (db: Db, id: string): Promise<BackupRun | undefined> => {
  const { rows } = await sql<RunRow>`${selectRuns} where r.id = ${id}`.execute(db);
  return rows[0] ? toRun(rows[0]) : undefined;
};

// A run older than this still marked running was cut off, whatever its job says: it does not block new ones.
const STALE_RUN_MS = 6 * 60 * 60 * 1000;

/** Queues a backup run now (POST /backups): BACKUP_IN_PROGRESS while one is queued or running. */
export const requestBackupRun = async (db: Db, options: { requestedBy: string | null }): Promise<BackupRun> =>
  db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7266871)`.execute(trx);
    const { rows: busy } = await sql<{ id: string }>`
      select r.id from rapport.backup_run r left join rapport.job j on j.id = r.job_id
      where r.status in ('queued', 'running') and not coalesce(${CUT_OFF}, false) and r.created_at > now() - make_interval(secs => ${STALE_RUN_MS / 1000}) limit 1`.execute(trx);
    if (busy[0]) throw new AppError('BACKUP_IN_PROGRESS', `Backup run ${busy[0].id} is already queued or running: wait for it to finish.`);
    const id = randomUUID();
    const job = await enqueueJob(trx, { type: BACKUP_JOB, payload: { runId: id, trigger: 'manual' }, maxAttempts: 1, priority: 10 });
    await sql`insert into rapport.backup_run (id, trigger, job_id, requested_by) values (${id}, 'manual', ${job.id}, ${options.requestedBy})`.execute(trx);
    return (await getBackupRun(trx, id))!;
  });

export interface BackupEnvironment {
  /** The server's own database (PGlite is snapshotted inside the process that holds it). */
  database: Database;
  /** Where backups are written: RAPPORT_BACKUP_DIR, or `backups` in the data folder. */
  backupDir: string | undefined;
  /** Now, for retention (tests move it). */
  now?: () => Date;
}

const fail = async (db: Db, id: string, error: unknown) => {
  await sql`update rapport.backup_run set status = 'failed', error = ${(error as Error).message ?? String(error)}, finished_at = now() where id = ${id}`.execute(db);
};

/**
 * One run: write the backup, verify it by restoring into a scratch database, then delete what the
 * retention no longer keeps. The result (file, size, verified or the problem) is kept in backup_run.
 */
const performBackupRun = async (env: BackupEnvironment, runId: string, onProgress: (step: string) => Promise<void> = async () => undefined): Promise<BackupRun> => {
  const { db } = env.database;
  await sql`update rapport.backup_run set status = 'running', started_at = now() where id = ${runId}`.execute(db);
  try {
    if (!env.backupDir) throw new AppError('BACKUP_FAILED', 'No backup folder: set RAPPORT_BACKUP_DIR (or RAPPORT_DATA_DIR).');
    // Loaded on demand: the backup code (and pg, which a server on PGlite never needs otherwise) stays out of memory until a run.
    const { backupFileName, createBackup, verifyBackup } = await import('./backup.ts');
    await onProgress('backup');
    const file = join(env.backupDir, backupFileName(env.now?.() ?? new Date()));
    const backup = await createBackup(env.database, file);
    await sql`update rapport.backup_run set file = ${file}, bytes = ${backup.bytes}, backup_ms = ${backup.durationMs} where id = ${runId}`.execute(db);
    await onProgress('verify');
    const verified = await verifyBackup(file, { connectionString: env.database.connectionString });
    await sql`
      update rapport.backup_run set is_verified = ${verified.isVerified}, problems = ${JSON.stringify(verified.problems)}::jsonb, verify_ms = ${verified.durationMs},
        error = ${verified.isVerified ? null : `Verification failed: ${verified.problems.join('; ')}`}
      where id = ${runId}`.execute(db);
    await onProgress('prune');
    const pruned = verified.isVerified ? await pruneBackups(db, env.backupDir, await getBackupSettings(db), env.now?.() ?? new Date()) : [];
    await sql`
      update rapport.backup_run set status = ${verified.isVerified ? 'completed' : 'failed'}, pruned = ${JSON.stringify(pruned)}::jsonb, finished_at = now()
      where id = ${runId}`.execute(db);
  } catch (error) {
    await fail(db, runId, error);
  }
  return (await getBackupRun(db, runId))!;
};

/**
 * Deletes backup files of the folder (only `rapport-backup-*.rbk`) older than `keepDays`, except the
 * newest `keepLast` verified ones, which stay whatever their age. Returns the files deleted.
 */
const pruneBackups = async (db: Db, dir: string, settings: Pick<BackupSettings, 'keepDays' | 'keepLast'>, now: Date): Promise<string[]> => {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => /^rapport-backup-.*\.rbk$/.test(name));
  const { rows } = await sql<{ file: string }>`select file from rapport.backup_run where status = 'completed' and is_verified and file is not null order by finished_at desc limit ${settings.keepLast}`.execute(db);
  const kept = new Set(rows.map((row) => row.file));
  const cutoff = now.getTime() - settings.keepDays * 86_400_000;
  const deleted: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (kept.has(path)) continue;
    const { mtimeMs } = await stat(path);
    if (mtimeMs >= cutoff) continue;
    await rm(path, { force: true });
    deleted.push(path);
  }
  return deleted;
};

/** The job of scheduled runs (payload without runId: the run is made here) and of `POST /backups`. */
export const createBackupJobHandler = (env: BackupEnvironment): JobHandler<{ runId?: string; trigger?: 'scheduled' | 'manual' }> => async ({ job, db, extendLease, reportProgress }) => {
  // A big database takes minutes: hold the job for up to an hour.
  await extendLease(60 * 60 * 1000);
  let runId = job.payload.runId;
  if (!runId) {
    runId = randomUUID();
    await sql`insert into rapport.backup_run (id, trigger, job_id) values (${runId}, 'scheduled', ${job.id})`.execute(db);
  }
  const run = await performBackupRun(env, runId, (step) => reportProgress({ step }));
  return { runId: run.id, status: run.status, file: run.file, isVerified: run.isVerified };
};
