import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, describeEngines, type TestDatabase } from '../../../../../tests/setup/engines.ts';
import { openDatabase, type Database, type Db } from '../db/database.ts';
import {
  cancelJob,
  enqueueJob,
  findSchedule,
  getJob,
  listJobs,
  PermanentJobError,
  startWorker,
  tickSchedules,
  updateJobProgress,
  upsertSchedule,
  type Job,
  type JobStatus,
  type StartWorkerOptions,
  type Worker,
} from './index.ts';

const waitFor = async <T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const createGate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEngines('jobs queue', (engine) => {
  let testDatabase: TestDatabase;
  let db: Db;
  let workers: Worker[];
  let extraDatabases: Database[];

  // One database per engine (a fresh PGlite costs a second or more); each test starts from empty tables.
  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    db = testDatabase.database.db;
  });

  afterAll(async () => {
    await testDatabase.destroy();
  });

  beforeEach(async () => {
    workers = [];
    extraDatabases = [];
    await sql`truncate rapport.job, rapport.job_schedule, rapport.workspace cascade`.execute(db);
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(extraDatabases.map((database) => database.close()));
  });

  const start = (options: Partial<StartWorkerOptions> & Pick<StartWorkerOptions, 'handlers'>): Worker => {
    const worker = startWorker({ db, engine, pollIntervalMs: 10, maintenanceIntervalMs: 20, backoffMs: () => 20, ...options });
    workers.push(worker);
    return worker;
  };

  const waitForStatus = (id: string, status: JobStatus): Promise<Job> =>
    waitFor(
      () => getJob(db, id),
      (job) => job.status === status,
    );

  it('successful-run: should complete the job with the handler result when the handler succeeds', async () => {
    const job = await enqueueJob(db, { type: 'double', payload: { n: 21 } });
    expect(job).toMatchObject({ status: 'queued', attempts: 0, maxAttempts: 5, priority: 0, payload: { n: 21 } });

    start({ handlers: { double: ({ job }) => ({ doubled: (job.payload as { n: number }).n * 2 }) } });
    const done = await waitForStatus(job.id, 'completed');

    expect(done).toMatchObject({ result: { doubled: 42 }, attempts: 1, lastError: null, lockedUntil: null });
    expect(done.finishedAt).not.toBeNull();
    expect(done.lockedBy).toBe(workers[0]!.workerId);
  });

  it('successful-run: should run higher priorities first and wait for runAt when jobs are queued together', async () => {
    const order: string[] = [];
    await enqueueJob(db, { type: 'note', payload: 'low', priority: 0 });
    await enqueueJob(db, { type: 'note', payload: 'high', priority: 10 });
    const later = await enqueueJob(db, { type: 'note', payload: 'later', priority: 100, delayMs: 300 });

    start({ handlers: { note: ({ job }) => void order.push(job.payload as string) } });
    await waitForStatus(later.id, 'completed');

    expect(order).toEqual(['high', 'low', 'later']);
  });

  it('failing-run: should retry with backoff and then fail when the handler keeps throwing', async () => {
    const runTimes: number[] = [];
    const backoffCalls: number[] = [];
    const job = await enqueueJob(db, { type: 'flaky', maxAttempts: 3 });

    start({
      handlers: {
        flaky: () => {
          runTimes.push(Date.now());
          throw new Error(`boom ${runTimes.length}`);
        },
      },
      backoffMs: (attempts) => {
        backoffCalls.push(attempts);
        return 150;
      },
    });
    const failed = await waitForStatus(job.id, 'failed');

    expect(failed).toMatchObject({ attempts: 3, lastError: 'boom 3' });
    expect(runTimes).toHaveLength(3);
    expect(backoffCalls).toEqual([1, 2]);
    expect(runTimes[1]! - runTimes[0]!).toBeGreaterThanOrEqual(100);
    expect(runTimes[2]! - runTimes[1]!).toBeGreaterThanOrEqual(100);
  });

  it('successful-run: should complete the job when a retry succeeds', async () => {
    let runs = 0;
    const job = await enqueueJob(db, { type: 'second-time-lucky' });

    start({
      handlers: {
        'second-time-lucky': () => {
          runs += 1;
          if (runs === 1) throw new Error('transient');
          return 'ok';
        },
      },
    });
    const done = await waitForStatus(job.id, 'completed');

    expect(done).toMatchObject({ attempts: 2, result: 'ok', lastError: 'transient' });
  });

  it('failing-run: should fail without retrying when the handler throws PermanentJobError', async () => {
    let runs = 0;
    const job = await enqueueJob(db, { type: 'doomed', maxAttempts: 5 });

    start({
      handlers: {
        doomed: () => {
          runs += 1;
          throw new PermanentJobError('record is gone');
        },
      },
    });
    const failed = await waitForStatus(job.id, 'failed');

    expect(failed).toMatchObject({ attempts: 1, lastError: 'PermanentJobError: record is gone' });
    expect(runs).toBe(1);
  });

  it('failing-run: should fail with a clear error when no handler knows the job type', async () => {
    const job = await enqueueJob(db, { type: 'nobody-knows', maxAttempts: 5 });

    start({ handlers: {} });
    const failed = await waitForStatus(job.id, 'failed');

    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain('No handler for job type "nobody-knows"');
  });

  it('successful-enqueue: should return the existing job when the same key is enqueued again', async () => {
    const first = await enqueueJob(db, { type: 'sync', key: 'sync:mailbox-1', payload: { v: 1 } });
    const again = await enqueueJob(db, { type: 'sync', key: 'sync:mailbox-1', payload: { v: 2 } });
    const racing = await Promise.all(Array.from({ length: 5 }, () => enqueueJob(db, { type: 'sync', key: 'sync:mailbox-2' })));

    expect(again.id).toBe(first.id);
    expect(again.payload).toEqual({ v: 1 });
    expect(new Set(racing.map((job) => job.id)).size).toBe(1);
    expect(await listJobs(db, { type: 'sync' })).toHaveLength(2);
  });

  it('successful-enqueue: should enqueue in the caller transaction when given one', async () => {
    await db
      .transaction()
      .execute(async (trx) => {
        await enqueueJob(trx, { type: 'rolled-back' });
        throw new Error('abort the write');
      })
      .catch(() => undefined);
    const kept = await db.transaction().execute((trx) => enqueueJob(trx, { type: 'committed' }));

    expect((await listJobs(db)).map((job) => job.id)).toEqual([kept.id]);
  });

  it('successful-reclaim: should run the job again when its worker died holding an expired lease', async () => {
    const job = await enqueueJob(db, { type: 'import' });
    const exhausted = await enqueueJob(db, { type: 'import', maxAttempts: 1 });
    // What a worker killed with kill -9 leaves behind: running, leased to it, lease in the past.
    await sql`
      update rapport.job set status = 'running', locked_by = 'dead-worker', attempts = 1, locked_until = now() - interval '1 second'
      where id in (${job.id}, ${exhausted.id})`.execute(db);
    const ran: string[] = [];

    start({ handlers: { import: ({ job }) => void ran.push(job.id) } });
    const done = await waitForStatus(job.id, 'completed');
    const failed = await waitForStatus(exhausted.id, 'failed');

    expect(done.attempts).toBe(2);
    expect(done.lockedBy).not.toBe('dead-worker');
    expect(failed.lastError).toContain('Lease expired while running on dead-worker');
    expect(ran).toEqual([job.id]);
  });

  it('successful-reclaim: should not take over a running job while its lease is current', async () => {
    const job = await enqueueJob(db, { type: 'import' });
    await sql`
      update rapport.job set status = 'running', locked_by = 'live-worker', attempts = 1, locked_until = now() + interval '1 hour'
      where id = ${job.id}`.execute(db);
    let runs = 0;

    start({ handlers: { import: () => void (runs += 1) } });
    await sleep(150);

    expect(await getJob(db, job.id)).toMatchObject({ status: 'running', lockedBy: 'live-worker' });
    expect(runs).toBe(0);
  });

  it('successful-run: should run each job exactly once when two workers poll the same queue', async () => {
    const jobCount = 40;
    const runsById = new Map<string, number>();
    const jobs = await Promise.all(Array.from({ length: jobCount }, (_, i) => enqueueJob(db, { type: 'count', payload: i })));
    const handler = async ({ job }: { job: Job }) => {
      runsById.set(job.id, (runsById.get(job.id) ?? 0) + 1);
      await sleep(Math.random() * 5);
    };
    // On PostgreSQL the second worker gets its own pool, as a second app server would.
    const secondDb = engine === 'postgres' ? await openSecondPool() : db;

    const first = start({ handlers: { count: handler }, workerId: 'worker-a' });
    const second = start({ db: secondDb, handlers: { count: handler }, workerId: 'worker-b' });
    await waitFor(
      () => listJobs(db, { status: 'completed', limit: jobCount }),
      (done) => done.length === jobCount,
    );

    expect(runsById.size).toBe(jobCount);
    expect([...runsById.values()].every((runs) => runs === 1)).toBe(true);
    const done = await listJobs(db, { limit: jobCount });
    expect(done.every((job) => job.attempts === 1)).toBe(true);
    if (engine === 'postgres') {
      expect(new Set(done.map((job) => job.lockedBy))).toEqual(new Set([first.workerId, second.workerId]));
    }
    expect(jobs).toHaveLength(jobCount);
  });

  const openSecondPool = async (): Promise<Db> => {
    const second = await openDatabase({ databaseUrl: testDatabase.databaseUrl!, poolSize: 4 });
    extraDatabases.push(second);
    return second.db;
  };

  it('successful-schedule: should enqueue one job per due time when ticked twice or concurrently', async () => {
    const schedule = await upsertSchedule(db, { name: 'nightly-digest', cron: '0 3 * * *', type: 'digest', payload: { to: 'team' } });
    expect(Date.parse(schedule.nextRunAt)).toBeGreaterThan(Date.now());
    await sql`update rapport.job_schedule set next_run_at = '2024-01-01T03:00:00Z' where name = 'nightly-digest'`.execute(db);

    const [first, second] = await Promise.all([tickSchedules(db), tickSchedules(db)]);
    const third = await tickSchedules(db);

    const jobs = await listJobs(db, { type: 'digest' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ key: 'schedule:nightly-digest:2024-01-01T03:00:00.000Z', payload: { to: 'team' } });
    expect([...first!, ...second!].every((job) => job.id === jobs[0]!.id)).toBe(true);
    expect(third).toEqual([]);
    const advanced = await findSchedule(db, 'nightly-digest');
    expect(advanced?.lastRunAt).toBe('2024-01-01T03:00:00.000Z');
    expect(Date.parse(advanced!.nextRunAt)).toBeGreaterThan(Date.now());
    expect(new Date(advanced!.nextRunAt).getUTCHours()).toBe(3);
  });

  it('successful-schedule: should keep the pending run when the same schedule is upserted again', async () => {
    await upsertSchedule(db, { name: 'weekly', cron: '0 9 * * 1', type: 'digest', timezone: 'Europe/Paris' });
    await sql`update rapport.job_schedule set next_run_at = '2024-01-01T08:00:00Z' where name = 'weekly'`.execute(db);

    const same = await upsertSchedule(db, { name: 'weekly', cron: '0 9 * * 1', type: 'digest', timezone: 'Europe/Paris', payload: { v: 2 } });
    const changed = await upsertSchedule(db, { name: 'weekly', cron: '0 10 * * 1', type: 'digest', timezone: 'Europe/Paris' });

    expect(same).toMatchObject({ nextRunAt: '2024-01-01T08:00:00.000Z', payload: { v: 2 } });
    expect(Date.parse(changed.nextRunAt)).toBeGreaterThan(Date.now());
  });

  it('failing-schedule: should reject the schedule when the cron or time zone is invalid', async () => {
    await expect(upsertSchedule(db, { name: 'bad', cron: 'every day', type: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(upsertSchedule(db, { name: 'bad', cron: '* * * * *', type: 'x', timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await findSchedule(db, 'bad')).toBeUndefined();
  });

  it('successful-schedule: should run scheduled jobs from the worker loop when a schedule comes due', async () => {
    await upsertSchedule(db, { name: 'every-second', cron: '* * * * * *', type: 'tick' });
    const ran: Job[] = [];

    start({ handlers: { tick: ({ job }) => void ran.push(job) } });
    await waitFor(
      async () => ran.length,
      (count) => count >= 1,
    );

    expect(ran[0]!.key).toMatch(/^schedule:every-second:/);
  });

  it('successful-cancel: should never run a queued job when it is cancelled', async () => {
    const job = await enqueueJob(db, { type: 'send', delayMs: 100 });
    let runs = 0;

    expect(await cancelJob(db, job.id)).toBe(true);
    expect(await cancelJob(db, job.id)).toBe(false);
    start({ handlers: { send: () => void (runs += 1) } });
    await sleep(250);

    expect(await getJob(db, job.id)).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(runs).toBe(0);
  });

  it('successful-cancel: should abort the handler and drop its result when a running job is cancelled', async () => {
    const job = await enqueueJob(db, { type: 'long' });
    let abortReason: unknown;

    start({
      handlers: {
        long: async ({ signal, extendLease }) => {
          while (!signal.aborted) {
            await extendLease();
            await sleep(10);
          }
          abortReason = signal.reason;
          return 'finished anyway';
        },
      },
    });
    await waitForStatus(job.id, 'running');
    expect(await cancelJob(db, job.id)).toBe(true);
    await waitFor(
      async () => abortReason,
      (reason) => reason !== undefined,
    );
    await Promise.all(workers.map((worker) => worker.stop()));

    expect(abortReason).toMatchObject({ name: 'JobLeaseLostError' });
    expect(await getJob(db, job.id)).toMatchObject({ status: 'cancelled', result: null });
  });

  it('failing-cancel: should throw RECORD_NOT_FOUND when the job does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';

    await expect(cancelJob(db, missing)).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' });
    await expect(getJob(db, missing)).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' });
  });

  it('successful-progress: should show the reported progress while the job runs', async () => {
    const job = await enqueueJob(db, { type: 'import' });
    const gate = createGate();

    start({
      handlers: {
        import: async ({ reportProgress }) => {
          await reportProgress({ processed: 50, total: 100 });
          await gate.opened;
          await reportProgress({ processed: 100, total: 100 });
          return { imported: 100 };
        },
      },
    });
    const running = await waitFor(
      () => getJob(db, job.id),
      (current) => current.progress !== null,
    );
    gate.open();
    const done = await waitForStatus(job.id, 'completed');

    expect(running).toMatchObject({ status: 'running', progress: { processed: 50, total: 100 } });
    expect(done).toMatchObject({ progress: { processed: 100, total: 100 }, result: { imported: 100 } });
    expect(await updateJobProgress(db, job.id, { processed: 0 })).toBe(false);
  });

  it('successful-progress: should renew the lease when progress is reported', async () => {
    const job = await enqueueJob(db, { type: 'import' });
    const [reported, finish] = [createGate(), createGate()];
    const readLeaseSeconds = async () => {
      const { rows } = await sql<{ seconds: number }>`
        select extract(epoch from locked_until - now())::float8 as seconds from rapport.job where id = ${job.id}`.execute(db);
      return rows[0]!.seconds;
    };

    start({
      leaseMs: 60_000,
      handlers: {
        import: async ({ reportProgress }) => {
          await reported.opened;
          await reportProgress({ step: 1 });
          await finish.opened;
        },
      },
    });
    await waitForStatus(job.id, 'running');
    await sql`update rapport.job set locked_until = now() + interval '5 seconds' where id = ${job.id}`.execute(db);
    const before = await readLeaseSeconds();
    reported.open();
    await waitFor(
      () => getJob(db, job.id),
      (current) => current.progress !== null,
    );
    const after = await readLeaseSeconds();
    finish.open();
    await waitForStatus(job.id, 'completed');

    expect(before).toBeLessThanOrEqual(5);
    expect(after).toBeGreaterThan(50);
  });

  it('successful-stop: should wait for the running handler and complete its job when stopped', async () => {
    const job = await enqueueJob(db, { type: 'export' });
    let isHandlerDone = false;

    const worker = start({
      handlers: {
        export: async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          await sleep(50);
          isHandlerDone = true;
          return 'flushed';
        },
      },
    });
    await waitForStatus(job.id, 'running');
    await worker.stop();

    expect(isHandlerDone).toBe(true);
    expect(await getJob(db, job.id)).toMatchObject({ status: 'completed', result: 'flushed' });
  });

  it('successful-stop: should queue the job again without using an attempt when the handler gives up on stop', async () => {
    const job = await enqueueJob(db, { type: 'export', maxAttempts: 1 });

    const worker = start({
      handlers: {
        export: async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          signal.throwIfAborted();
        },
      },
    });
    await waitForStatus(job.id, 'running');
    await worker.stop();

    expect(await getJob(db, job.id)).toMatchObject({ status: 'queued', attempts: 0 });
    start({ handlers: { export: () => 'done on the next worker' } });
    expect(await waitForStatus(job.id, 'completed')).toMatchObject({ attempts: 1, result: 'done on the next worker' });
  });

  it('successful-list: should filter by status, type and workspace when listing', async () => {
    const workspaceId = randomUUID();
    await sql`insert into rapport.workspace (id, name, schema_name) values (${workspaceId}, 'Acme', 'ws_acme')`.execute(db);
    const mine = await enqueueJob(db, { type: 'sync', workspaceId });
    const other = await enqueueJob(db, { type: 'sync' });
    const mail = await enqueueJob(db, { type: 'mail' });
    await cancelJob(db, other.id);

    expect((await listJobs(db, { workspaceId })).map((job) => job.id)).toEqual([mine.id]);
    expect((await listJobs(db, { status: 'cancelled' })).map((job) => job.id)).toEqual([other.id]);
    expect((await listJobs(db, { status: ['queued'], type: 'mail' })).map((job) => job.id)).toEqual([mail.id]);
    expect(await listJobs(db, { limit: 2 })).toHaveLength(2);
  });
});
