import { AppError } from '../core/errors/app-error.js';

export class JobNotFoundError extends AppError {
  constructor(readonly jobId?: string) {
    super('JOB_NOT_FOUND', 'Job not found');
  }
}

/** A manual trigger under concurrencyPolicy `forbid` while a run of the job is active. */
export class JobRunningError extends AppError {
  constructor(readonly jobId?: string) {
    super('JOB_RUNNING', 'Job is already running');
  }
}
