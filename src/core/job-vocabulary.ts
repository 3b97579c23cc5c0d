/**
 * The job vocabulary every module speaks (job types, policies, targets): defined in core so that
 * the run ledger and the engine can name a job's target and policies without importing the jobs
 * module. `jobs/job.entity.ts` re-exports it.
 */
export type JobType = 'scheduled' | 'immediate' | 'recurring' | 'delayed';
export type ConcurrencyPolicy = 'forbid' | 'allow' | 'replace' | 'queue_one';
export type MisfirePolicy = 'fire_once' | 'skip' | 'fire_all';
export type RetryBackoff = 'fixed' | 'exponential';

export interface HttpTarget {
  type: 'http';
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as JSON; defaults to the job's payload. */
  body?: unknown;
  /** Statuses that count as success: codes (304) and classes ("2xx"); default ["2xx"]. */
  successStatus?: (number | string)[];
  /** The response body must contain this text, or match it when written `/regex/flags`. */
  expectBody?: string;
}

export interface HandlerTarget {
  type: 'handler';
  name: string;
}

export type JobTarget = HttpTarget | HandlerTarget;
