/** Input limits of the job resource (the original's, plus bounds on the new fields). */
export const JOB_LIMITS = {
  name: { min: 1, max: 255 },
  descriptionMax: 1000,
  timeoutMs: { min: 1000, max: 300_000 },
  maxRetries: { min: 0, max: 10 },
  retryDelayMs: { min: 1000, max: 60_000 },
  tags: { maxCount: 10, maxLength: 50 },
  /** 2^31-1: the column is a Postgres integer (about 24.8 days). */
  intervalMs: { min: 1000, max: 2_147_483_647 },
  payload: { maxBytes: 64 * 1024, maxDepth: 10 },
  createdByMax: 255,
  cronMax: 100,
  headers: { maxCount: 20, maxValueLength: 1024 },
  handlerNameMax: 100,
  pauseNoteMax: 500,
} as const;

export const JOB_TYPES = ['scheduled', 'immediate', 'recurring', 'delayed'] as const;
export const CONCURRENCY_POLICIES = ['forbid', 'allow', 'replace'] as const;
export const MISFIRE_POLICIES = ['fire_once', 'skip', 'fire_all'] as const;
export const RETRY_BACKOFFS = ['fixed', 'exponential'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const BULK_OPERATIONS = [
  'activate',
  'deactivate',
  'delete',
  'trigger',
  'pause',
  'resume',
] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];
