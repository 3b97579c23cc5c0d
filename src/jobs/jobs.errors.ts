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

/** Pause of a job that is neither active nor paused (there is nothing to pause). */
export class JobNotActiveError extends AppError {
  constructor() {
    super('CONFLICT', 'Job is inactive; only an active (or paused) job can be paused');
  }
}

export class JobNotPausedError extends AppError {
  constructor() {
    super('CONFLICT', 'Job is not paused');
  }
}
