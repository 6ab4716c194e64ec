import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { jsonb, nowPlusMs, toJob, type Job, type JobRow } from './job.ts';

/**
 * One run of a job by one worker. Each claim bumps `attempts`, so a worker whose lease was
 * taken over can never finish the newer run, even under the same worker id.
 */
export interface JobClaim {
  id: string;
  workerId: string;
  attempts: number;
}

const isHeld = ({ id, workerId, attempts }: JobClaim) =>
  sql`id = ${id} and status = 'running' and locked_by = ${workerId} and attempts = ${attempts}`;

const affectedOne = (result: { numAffectedRows?: bigint }) => result.numAffectedRows === 1n;

export interface ClaimJobsOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
}

/** Takes up to `limit` due jobs, highest priority first; rows other workers are claiming are skipped, not waited for. */
export const claimJobs = async (db: Db, { workerId, limit, leaseMs }: ClaimJobsOptions): Promise<Job[]> => {
  const { rows } = await sql<JobRow>`
    update rapport.job
    set status = 'running', locked_by = ${workerId}, locked_until = ${nowPlusMs(leaseMs)},
      attempts = attempts + 1, updated_at = now()
    where id in (
      select id from rapport.job
      where status = 'queued' and run_at <= now()
      order by priority desc, run_at
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  return rows.map(toJob).sort((a, b) => b.priority - a.priority || a.runAt.localeCompare(b.runAt));
};

/**
 * Puts back jobs whose lease ran out (their worker was killed or stalled) so another worker runs them;
 * a job that has used all its attempts this way fails instead of taking down worker after worker.
 */
export const reclaimExpiredJobs = async (db: Db): Promise<Job[]> => {
  const { rows } = await sql<JobRow>`
    update rapport.job
    set status = case when attempts >= max_attempts then 'failed' else 'queued' end,
      last_error = 'Lease expired while running on ' || coalesce(locked_by, 'an unknown worker') || ' (worker stopped or stalled)',
      locked_until = null,
      run_at = now(),
      finished_at = case when attempts >= max_attempts then now() end,
      updated_at = now()
    where id in (
      select id from rapport.job
      where status = 'running' and locked_until < now()
      limit 100
      for update skip locked
    )
    returning *`.execute(db);
  return rows.map(toJob);
};

export interface RenewLeaseOptions {
  claim: JobClaim;
  leaseMs: number;
  /** Also records this progress, in the same statement. */
  progress?: unknown;
}

/** False when the job is no longer this claim's: cancelled, or taken over after the lease ran out. */
export const renewLease = async (db: Db, { claim, leaseMs, progress }: RenewLeaseOptions): Promise<boolean> => {
  const setProgress = progress === undefined ? sql`` : sql`, progress = ${jsonb(progress)}`;
  const result = await sql`
    update rapport.job set locked_until = ${nowPlusMs(leaseMs)}, updated_at = now() ${setProgress}
    where ${isHeld(claim)}`.execute(db);
  return affectedOne(result);
};

export const completeJob = async (db: Db, { claim, result }: { claim: JobClaim; result: unknown }): Promise<boolean> =>
  affectedOne(
    await sql`
      update rapport.job
      set status = 'completed', result = ${jsonb(result)}, locked_until = null, finished_at = now(), updated_at = now()
      where ${isHeld(claim)}`.execute(db),
  );

export interface FailJobOptions {
  claim: JobClaim;
  error: string;
  /** Queued again after this delay; absent: failed for good. */
  retryInMs?: number;
}

export const failJob = async (db: Db, { claim, error, retryInMs }: FailJobOptions): Promise<boolean> => {
  const next =
    retryInMs === undefined
      ? sql`status = 'failed', finished_at = now()`
      : sql`status = 'queued', run_at = ${nowPlusMs(retryInMs)}`;
  return affectedOne(
    await sql`
      update rapport.job set ${next}, last_error = ${error}, locked_until = null, updated_at = now()
      where ${isHeld(claim)}`.execute(db),
  );
};

/** Hands a job back untouched (its worker is stopping): queued now, and this run does not count as an attempt. */
export const releaseJob = async (db: Db, { claim }: { claim: JobClaim }): Promise<boolean> =>
  affectedOne(
    await sql`
      update rapport.job
      set status = 'queued', attempts = attempts - 1, run_at = now(), locked_until = null, updated_at = now()
      where ${isHeld(claim)}`.execute(db),
  );
