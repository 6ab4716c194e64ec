import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db, Engine } from '../db/database.ts';
import { computeBackoffMs } from './backoff.ts';
import { isPermanentJobError, JobLeaseLostError, PermanentJobError, WorkerStoppingError } from './job.errors.ts';
import type { Job } from './job.ts';
import { claimJobs, completeJob, failJob, reclaimExpiredJobs, releaseJob, renewLease, type JobClaim } from './lease.ts';
import { describeError, silentLogger, type JobLogger } from './logger.ts';
import { tickSchedules } from './scheduler.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JobHandlerContext<Payload = any> {
  job: Job<Payload>;
  db: Db;
  /** Aborted when the worker stops, the job is cancelled, or its lease runs out; stop soon after. */
  signal: AbortSignal;
  // Both below use `db`: on PGlite never await them inside a transaction of your own (one session: it would wait forever).
  /** Records visible progress (e.g. `{ processed, total }`) and renews the lease. */
  reportProgress(progress: unknown): Promise<void>;
  /** Renews the lease for `ms` (the worker's `leaseMs` by default); call it more often than that in long jobs. */
  extendLease(ms?: number): Promise<void>;
}

/** Does the work; what it returns is stored as the job's result. Throw to retry, PermanentJobError to fail at once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobHandler<Payload = any> = (context: JobHandlerContext<Payload>) => Promise<unknown> | unknown;

export interface StartWorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  /** Picks the default concurrency: 1 on PGlite, whose single session every job would share. */
  engine?: Engine;
  /** Jobs run at once; 1 on PGlite (or with no engine given), 4 on PostgreSQL. */
  concurrency?: number;
  /** Wait between polls when the queue is empty; 1 s by default. */
  pollIntervalMs?: number;
  /** How long a claim holds without renewal; 60 s by default. */
  leaseMs?: number;
  /** How often to reclaim expired leases and enqueue due schedules; 5 s by default. */
  maintenanceIntervalMs?: number;
  /** Retry delay after the `attempts`-th run failed; exponential with jitter by default. */
  backoffMs?: (attempts: number) => number;
  /** Unique per process; host, pid and a random part by default. */
  workerId?: string;
  logger?: JobLogger;
}

export interface Worker {
  workerId: string;
  /** Stops claiming, aborts the running handlers' signals and waits for them to settle. */
  stop(): Promise<void>;
}

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

/** Polls `rapport.job` and runs what it claims, until `stop()`. */
export const startWorker = (options: StartWorkerOptions): Worker => {
  const { db, handlers, engine, logger = silentLogger, backoffMs = computeBackoffMs } = options;
  const concurrency = Math.max(1, options.concurrency ?? (engine === 'postgres' ? 4 : 1));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const maintenanceIntervalMs = options.maintenanceIntervalMs ?? 5000;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const running = new Map<string, RunningJob>();
  const waker = createWaker();
  let isStopping = false;
  let nextMaintenanceAt = 0;

  const runMaintenance = async () => {
    if (Date.now() < nextMaintenanceAt) return;
    nextMaintenanceAt = Date.now() + maintenanceIntervalMs;
    for (const job of await reclaimExpiredJobs(db)) {
      logger.warn({ jobId: job.id, type: job.type, status: job.status }, 'Reclaimed a job whose lease expired');
    }
    await tickSchedules(db, { logger });
  };

  const runJob = async (job: Job, controller: AbortController) => {
    const claim: JobClaim = { id: job.id, workerId, attempts: job.attempts };
    const log = { jobId: job.id, type: job.type, attempt: job.attempts, workerId };
    let leaseTimer: NodeJS.Timeout | undefined;
    const armLeaseTimer = (ms: number) => {
      clearTimeout(leaseTimer);
      leaseTimer = setTimeout(() => controller.abort(new JobLeaseLostError(job.id, 'lease expired')), ms);
      leaseTimer.unref();
    };
    const renew = async (ms: number, progress?: unknown) => {
      if (await renewLease(db, { claim, leaseMs: ms, progress })) armLeaseTimer(ms);
      else controller.abort(new JobLeaseLostError(job.id, 'cancelled or taken over by another worker'));
    };
    armLeaseTimer(leaseMs);
    try {
      const handler = handlers[job.type];
      if (!handler) throw new PermanentJobError(`No handler for job type "${job.type}" on worker ${workerId}`);
      const result = await handler({
        job,
        db,
        signal: controller.signal,
        reportProgress: (progress) => renew(leaseMs, progress ?? null),
        extendLease: (ms = leaseMs) => renew(ms),
      });
      if (await completeJob(db, { claim, result })) logger.info(log, 'Job completed');
      else logger.warn(log, 'Job finished after it stopped being ours (cancelled or taken over); result dropped');
    } catch (error) {
      await settleFailure({ job, claim, error, isInterrupted: controller.signal.reason instanceof WorkerStoppingError });
    } finally {
      clearTimeout(leaseTimer);
    }
  };

  const settleFailure = async ({ job, claim, error, isInterrupted }: { job: Job; claim: JobClaim; error: unknown; isInterrupted: boolean }) => {
    const log = { jobId: job.id, type: job.type, attempt: job.attempts, workerId, err: error };
    if (isInterrupted) {
      if (await releaseJob(db, { claim })) logger.info(log, 'Job interrupted by worker stop; queued again');
      return;
    }
    const isFinal = isPermanentJobError(error) || job.attempts >= job.maxAttempts;
    const retryInMs = isFinal ? undefined : backoffMs(job.attempts);
    if (!(await failJob(db, { claim, error: describeError(error), retryInMs }))) {
      logger.info(log, 'Job stopped after it was cancelled or taken over');
    } else if (isFinal) logger.error(log, 'Job failed');
    else logger.warn({ ...log, retryInMs }, 'Job failed; will retry');
  };

  const start = (job: Job) => {
    const controller = new AbortController();
    const done = runJob(job, controller)
      .catch((error: unknown) => {
        // The database went away mid-settle: the lease will expire and the job run again elsewhere.
        logger.error({ jobId: job.id, workerId, err: error }, 'Could not record the outcome of a job');
      })
      .finally(() => {
        running.delete(job.id);
        waker.wake();
      });
    running.set(job.id, { controller, done });
  };

  const loop = async () => {
    while (!isStopping) {
      try {
        await runMaintenance();
        const free = concurrency - running.size;
        if (free > 0 && !isStopping) {
          for (const job of await claimJobs(db, { workerId, limit: free, leaseMs })) {
            // Claimed while stop() began: hand it straight back.
            if (isStopping) await releaseJob(db, { claim: { id: job.id, workerId, attempts: job.attempts } });
            else start(job);
          }
        }
      } catch (error) {
        logger.error({ workerId, err: error }, 'Job worker poll failed');
      }
      if (!isStopping) await waker.wait(pollIntervalMs);
    }
  };

  logger.info({ workerId, concurrency, leaseMs, handlers: Object.keys(handlers) }, 'Job worker started');
  const looping = loop();
  let stopping: Promise<void> | undefined;

  return {
    workerId,
    stop() {
      stopping ??= (async () => {
        isStopping = true;
        waker.wake();
        await looping;
        for (const { controller } of running.values()) controller.abort(new WorkerStoppingError(workerId));
        await Promise.all([...running.values()].map(({ done }) => done));
        logger.info({ workerId }, 'Job worker stopped');
      })();
      return stopping;
    },
  };
};

// A sleep that a finished job or stop() cuts short; a wake while not sleeping skips the next sleep.
const createWaker = () => {
  let resolveSleep: (() => void) | undefined;
  let isWoken = false;
  return {
    wake() {
      isWoken = true;
      resolveSleep?.();
    },
    async wait(ms: number) {
      if (!isWoken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          resolveSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      resolveSleep = undefined;
      isWoken = false;
    },
  };
};
