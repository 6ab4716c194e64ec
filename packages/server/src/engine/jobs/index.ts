export { computeBackoffMs } from './backoff.ts';
export { PermanentJobError, isPermanentJobError, JobLeaseLostError, WorkerStoppingError } from './job.errors.ts';
export { JOB_STATUSES, type Job, type JobStatus } from './job.ts';
export type { JobLogger } from './logger.ts';
export {
  cancelJob,
  enqueueJob,
  findJob,
  getJob,
  listJobs,
  updateJobProgress,
  type EnqueueJobOptions,
  type ListJobsOptions,
} from './queue.ts';
export {
  computeNextRunAt,
  deleteSchedule,
  findSchedule,
  tickSchedules,
  upsertSchedule,
  type JobSchedule,
  type TickSchedulesOptions,
  type UpsertScheduleOptions,
} from './scheduler.ts';
export {
  startWorker,
  type JobHandler,
  type JobHandlerContext,
  type StartWorkerOptions,
  type Worker,
} from './worker.ts';
