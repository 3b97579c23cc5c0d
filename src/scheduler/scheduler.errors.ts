import { AppError } from '../core/errors/app-error.js';

/** The job errors are the API's own (one class per code); the scheduler throws the same ones. */
export { JobNotFoundError, JobRunningError } from '../jobs/jobs.errors.js';

/**
 * A manual trigger found the job's row locked (another trigger, a claim or a result write of the
 * same job at that instant): 409 at once rather than a pooled connection waiting in the lock queue.
 */
export class JobBusyError extends AppError {
  constructor(jobId: string) {
    super('CONFLICT', `Job ${jobId} is being fired or triggered right now; retry the trigger`);
  }
}
