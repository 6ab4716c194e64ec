import { AppError } from '../errors.ts';

/**
 * Thrown by a handler when retrying cannot help (bad payload, record gone, permission revoked):
 * the job fails at once, whatever attempts remain.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export const isPermanentJobError = (error: unknown): error is PermanentJobError => error instanceof PermanentJobError;

/** Reason of the handler's AbortSignal when the worker stops; the job is put back in the queue. */
export class WorkerStoppingError extends Error {
  constructor(workerId: string) {
    super(`Worker ${workerId} is stopping`);
    this.name = 'WorkerStoppingError';
  }
}

/** Reason of the handler's AbortSignal when the job is no longer this worker's (cancelled, or its lease ran out). */
export class JobLeaseLostError extends Error {
  constructor(jobId: string, why: string) {
    super(`Job ${jobId}: ${why}`);
    this.name = 'JobLeaseLostError';
  }
}

// No JOB_NOT_FOUND code yet: a job is addressed like a record.
export const jobNotFound = (id: string): AppError => new AppError('RECORD_NOT_FOUND', `Job ${id} does not exist.`);

export const invalidSchedule = (field: 'cron' | 'timezone', message: string): AppError =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ field, code: 'invalidFormat', message }] });
