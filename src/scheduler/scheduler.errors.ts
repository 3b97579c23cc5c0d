import { AppError } from '../core/errors/app-error.js';

/** The job errors are the API's own (one class per code); the scheduler throws the same ones. */
export { JobNotFoundError, JobRunningError } from '../jobs/jobs.errors.js';

/** An http target the policy refuses (metadata address, host outside the allowlist): 400 at the API. */
export class TargetRefusedError extends AppError {
  constructor(message: string) {
    super('TARGET_REFUSED', message, [{ field: 'target.url', message }]);
  }
}
