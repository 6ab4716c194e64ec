import { sql, type RawBuilder } from 'kysely';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A row of `rapport.job`. Timestamps are ISO strings, as everywhere in the engine. */
export interface Job<Payload = unknown> {
  id: string;
  workspaceId: string | null;
  type: string;
  payload: Payload;
  status: JobStatus;
  /** Higher runs first. */
  priority: number;
  /** Runs started so far, counting the current one. */
  attempts: number;
  maxAttempts: number;
  /** Not before this time (delays and retry backoff). */
  runAt: string;
  /** The worker holding the lease, or the last one that held it. */
  lockedBy: string | null;
  /** End of the lease while running; past it another worker takes the job over. */
  lockedUntil: string | null;
  /** What the handler last reported, e.g. `{ processed, total }`. */
  progress: unknown;
  /** What the handler returned. */
  result: unknown;
  lastError: string | null;
  /** Idempotency key: enqueueing the same key again returns this job. */
  key: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobRow {
  id: string;
  workspace_id: string | null;
  type: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  progress: unknown;
  result: unknown;
  last_error: string | null;
  key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export const toJob = (row: JobRow): Job => ({
  id: row.id,
  workspaceId: row.workspace_id,
  type: row.type,
  payload: row.payload,
  status: row.status,
  priority: row.priority,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  runAt: row.run_at,
  lockedBy: row.locked_by,
  lockedUntil: row.locked_until,
  progress: row.progress,
  result: row.result,
  lastError: row.last_error,
  key: row.key,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
});

// Bound as text and cast in SQL: the two drivers serialise JS objects differently.
export const jsonb = (value: unknown): RawBuilder<unknown> => sql`${value === undefined ? null : JSON.stringify(value)}::jsonb`;

export const timestamptz = (value: Date | string): RawBuilder<unknown> =>
  sql`${new Date(value).toISOString()}::timestamptz`;

/** `now()` plus `ms` on the database clock, the one clock all app servers share. */
export const nowPlusMs = (ms: number): RawBuilder<unknown> =>
  sql`now() + (${Math.max(0, Math.round(ms))}::bigint * interval '1 millisecond')`;
