/** The job errors are the API's own (one class per code); the scheduler throws the same ones. */
export { JobNotFoundError, JobRunningError } from '../jobs/jobs.errors.js';
