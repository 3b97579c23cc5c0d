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

/** Manual triggers need the scheduler's dispatch; without it we refuse rather than fake a run. */
export class SchedulerUnavailableError extends AppError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'scheduler not running');
  }
}
