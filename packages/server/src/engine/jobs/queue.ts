import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { jobNotFound } from './job.errors.ts';
import { jsonb, nowPlusMs, timestamptz, toJob, type Job, type JobRow, type JobStatus } from './job.ts';

export interface EnqueueJobOptions<Payload = unknown> {
  type: string;
  payload?: Payload;
  workspaceId?: string | null;
  /** Not before this time; wins over `delayMs`. */
  runAt?: Date | string;
  /** Not before now plus this, on the database clock. */
  delayMs?: number;
  /** Runs before failing for good; 5 by default. */
  maxAttempts?: number;
  /** Higher runs first; 0 by default. */
  priority?: number;
  /** Idempotency key: while a job with this key exists, enqueueing returns it instead of a new one. */
  key?: string;
}

export interface ListJobsOptions {
  status?: JobStatus | JobStatus[];
  type?: string;
  workspaceId?: string;
  /** 100 by default, at most 1000. */
  limit?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Adds a job to the queue. Pass a transaction to enqueue atomically with the write that calls for it.
 * With a `key` already used, returns the existing job (whatever its status) and adds nothing.
 */
export const enqueueJob = async <Payload>(db: Db, options: EnqueueJobOptions<Payload>): Promise<Job<Payload>> => {
  const { type, payload = {}, workspaceId = null, runAt, delayMs = 0, maxAttempts = DEFAULT_MAX_ATTEMPTS, priority = 0, key } = options;
  const { rows } = await sql<JobRow>`
    insert into rapport.job (id, workspace_id, type, payload, priority, max_attempts, run_at, key)
    values (
      ${randomUUID()}, ${workspaceId}, ${type}, ${jsonb(payload)}, ${priority}, ${maxAttempts},
      ${runAt === undefined ? nowPlusMs(delayMs) : timestamptz(runAt)}, ${key ?? null}
    )
    on conflict (key) do nothing
    returning *`.execute(db);
  const inserted = rows[0];
  if (inserted) return toJob(inserted) as Job<Payload>;
  // Only a taken key skips the insert: the job holding it is the answer.
  const { rows: existing } = await sql<JobRow>`select * from rapport.job where key = ${key ?? null}`.execute(db);
  if (!existing[0]) throw new Error(`Job key ${key} was taken, then released before it could be read; enqueue again.`);
  return toJob(existing[0]) as Job<Payload>;
};

export const findJob = async (db: Db, id: string): Promise<Job | undefined> => {
  const { rows } = await sql<JobRow>`select * from rapport.job where id = ${id}`.execute(db);
  return rows[0] ? toJob(rows[0]) : undefined;
};

/** The job; throws RECORD_NOT_FOUND when there is none with this id. */
export const getJob = async (db: Db, id: string): Promise<Job> => {
  const job = await findJob(db, id);
  if (!job) throw jobNotFound(id);
  return job;
};

/**
 * Cancels a queued or running job; true when it was cancelled, false when it had already finished.
 * A running handler learns it through its AbortSignal at its next lease renewal or progress report,
 * and whatever it returns afterwards is dropped.
 */
export const cancelJob = async (db: Db, id: string): Promise<boolean> => {
  const result = await sql`
    update rapport.job
    set status = 'cancelled', locked_until = null, finished_at = now(), updated_at = now()
    where id = ${id} and status in ('queued', 'running')`.execute(db);
  if (result.numAffectedRows === 0n) await getJob(db, id);
  return result.numAffectedRows === 1n;
};

/** Newest first. */
export const listJobs = async (db: Db, options: ListJobsOptions = {}): Promise<Job[]> => {
  const { status, type, workspaceId } = options;
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const statuses = status === undefined ? [] : Array.isArray(status) ? status : [status];
  const conditions = [
    ...(statuses.length > 0 ? [sql`status in (${sql.join(statuses)})`] : []),
    ...(type !== undefined ? [sql`type = ${type}`] : []),
    ...(workspaceId !== undefined ? [sql`workspace_id = ${workspaceId}`] : []),
  ];
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const { rows } = await sql<JobRow>`
    select * from rapport.job ${where}
    order by created_at desc, id desc
    limit ${limit}`.execute(db);
  return rows.map(toJob);
};

/**
 * Records the progress of a running job (e.g. `{ processed, total }`) for others to see.
 * Inside a handler prefer `reportProgress`, which also renews the lease.
 */
export const updateJobProgress = async (db: Db, id: string, progress: unknown): Promise<boolean> => {
  const result = await sql`
    update rapport.job set progress = ${jsonb(progress)}, updated_at = now()
    where id = ${id} and status = 'running'`.execute(db);
  return result.numAffectedRows === 1n;
};
