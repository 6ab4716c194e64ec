import { CronExpressionParser } from 'cron-parser';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { invalidSchedule } from './job.errors.ts';
import { jsonb, timestamptz, type Job } from './job.ts';
import { describeError, silentLogger, type JobLogger } from './logger.ts';
import { enqueueJob } from './queue.ts';

/** A row of `rapport.job_schedule`: enqueue a job of `type` at each time `cron` matches in `timezone`. */
export interface JobSchedule {
  name: string;
  cron: string;
  type: string;
  payload: unknown;
  timezone: string;
  workspaceId: string | null;
  nextRunAt: string;
  lastRunAt: string | null;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UpsertScheduleOptions {
  /** Unique; upserting the same name again updates the schedule. */
  name: string;
  /** 5 fields, or 6 with seconds first; `@daily`, `@hourly`... too. */
  cron: string;
  type: string;
  payload?: unknown;
  /** IANA name; UTC by default. */
  timezone?: string;
  workspaceId?: string | null;
  isEnabled?: boolean;
}

export interface TickSchedulesOptions {
  logger?: JobLogger;
  /** Schedules handled per tick; the rest wait for the next one. */
  limit?: number;
}

interface ScheduleRow {
  name: string;
  cron: string;
  type: string;
  payload: unknown;
  timezone: string;
  workspace_id: string | null;
  next_run_at: string;
  last_run_at: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

const toSchedule = (row: ScheduleRow): JobSchedule => ({
  name: row.name,
  cron: row.cron,
  type: row.type,
  payload: row.payload,
  timezone: row.timezone,
  workspaceId: row.workspace_id,
  nextRunAt: row.next_run_at,
  lastRunAt: row.last_run_at,
  isEnabled: row.enabled,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The first time strictly after `after` that `cron` matches in `timezone`; throws VALIDATION_FAILED on a bad cron or zone. */
export const computeNextRunAt = ({ cron, timezone, after }: { cron: string; timezone: string; after: Date }): Date => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw invalidSchedule('timezone', `Unknown time zone "${timezone}".`);
  }
  try {
    return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
  } catch (error) {
    throw invalidSchedule('cron', `Invalid cron expression "${cron}": ${describeError(error)}`);
  }
};

/**
 * Creates or updates a recurring job. While `cron` and `timezone` stay the same the pending run is kept,
 * so calling this at every start does not skip a run that is due.
 */
export const upsertSchedule = async (db: Db, options: UpsertScheduleOptions): Promise<JobSchedule> => {
  const { name, cron, type, payload = {}, timezone = 'UTC', workspaceId = null, isEnabled = true } = options;
  const { rows: clock } = await sql<{ now: string }>`select now() as now`.execute(db);
  const nextRunAt = computeNextRunAt({ cron, timezone, after: new Date(clock[0]?.now ?? Date.now()) });
  const { rows } = await sql<ScheduleRow>`
    insert into rapport.job_schedule as s (name, cron, type, payload, timezone, workspace_id, next_run_at, enabled)
    values (${name}, ${cron}, ${type}, ${jsonb(payload)}, ${timezone}, ${workspaceId}, ${timestamptz(nextRunAt)}, ${isEnabled})
    on conflict (name) do update set
      cron = excluded.cron, type = excluded.type, payload = excluded.payload, timezone = excluded.timezone,
      workspace_id = excluded.workspace_id, enabled = excluded.enabled, updated_at = now(),
      next_run_at = case
        when s.enabled and s.cron = excluded.cron and s.timezone = excluded.timezone then s.next_run_at
        else excluded.next_run_at
      end
    returning *`.execute(db);
  return toSchedule(rows[0]!);
};

export const findSchedule = async (db: Db, name: string): Promise<JobSchedule | undefined> => {
  const { rows } = await sql<ScheduleRow>`select * from rapport.job_schedule where name = ${name}`.execute(db);
  return rows[0] ? toSchedule(rows[0]) : undefined;
};

/** True when there was a schedule of this name. Jobs it already enqueued stay. */
export const deleteSchedule = async (db: Db, name: string): Promise<boolean> => {
  const result = await sql`delete from rapport.job_schedule where name = ${name}`.execute(db);
  return result.numAffectedRows === 1n;
};

/**
 * Enqueues one job per due schedule and moves each to its next time after now (runs missed while
 * no server ticked collapse into one). Safe to call from many servers at once: the job key
 * `schedule:<name>:<due time>` makes the enqueue happen once, and only the tick that still sees
 * the due time moves the schedule on. Returns the jobs of this tick's due runs.
 */
export const tickSchedules = async (db: Db, options: TickSchedulesOptions = {}): Promise<Job[]> => {
  const { logger = silentLogger, limit = 100 } = options;
  const { rows } = await sql<ScheduleRow & { now: string }>`
    select *, now() as now from rapport.job_schedule
    where enabled and next_run_at <= now()
    order by next_run_at
    limit ${limit}`.execute(db);
  const jobs: Job[] = [];
  for (const row of rows) {
    try {
      jobs.push(await fireSchedule(db, row));
    } catch (error) {
      logger.error({ schedule: row.name, err: error }, 'Could not enqueue the scheduled job');
    }
  }
  return jobs;
};

const fireSchedule = async (db: Db, row: ScheduleRow & { now: string }): Promise<Job> => {
  const dueAt = row.next_run_at;
  const job = await enqueueJob(db, {
    type: row.type,
    payload: row.payload,
    workspaceId: row.workspace_id,
    runAt: dueAt,
    key: `schedule:${row.name}:${dueAt}`,
  });
  const after = new Date(Math.max(Date.parse(row.now), Date.parse(dueAt)));
  const nextRunAt = computeNextRunAt({ cron: row.cron, timezone: row.timezone, after });
  // Compared at millisecond precision: that is all the due time read back into JS carries.
  await sql`
    update rapport.job_schedule
    set next_run_at = ${timestamptz(nextRunAt)}, last_run_at = ${timestamptz(dueAt)}, updated_at = now()
    where name = ${row.name} and date_trunc('milliseconds', next_run_at) = ${timestamptz(dueAt)}`.execute(db);
  return job;
};
