import { AppError } from '../core/errors/app-error.js';

export class JobNotFoundError extends AppError {
  constructor(jobId: string) {
    super('JOB_NOT_FOUND', `Job ${jobId} not found`);
  }
}

/** A manual trigger under concurrencyPolicy forbid while a run of the job is active (409). */
export class JobRunningError extends AppError {
  constructor(jobId: string) {
    super('JOB_RUNNING', `Job ${jobId} is already running and its concurrencyPolicy is forbid`);
  }
}

/** An http target the policy refuses (metadata address, host outside the allowlist). */
export class TargetRefusedError extends AppError {
  constructor(message: string) {
    super('TARGET_REFUSED', message);
  }
}
