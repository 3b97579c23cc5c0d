import pg from 'pg';
import type { JobTarget } from '../../src/jobs/job.entity.js';
import { insertJob } from './factories.js';

export interface JobRowInput {
  name?: string;
  jobType?: 'scheduled' | 'immediate' | 'recurring' | 'delayed';
  cronExpression?: string | null;
  intervalMs?: number | null;
  runAt?: Date | null;
  timezone?: string;
  isActive?: boolean;
  target?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  concurrencyPolicy?: 'forbid' | 'allow' | 'replace';
  misfirePolicy?: 'fire_once' | 'skip' | 'fire_all';
  retryBackoff?: 'fixed' | 'exponential';
  timeoutMs?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  /** Defaults to null: the scheduler computes it (as for a row written by hand). */
  nextRunAt?: Date | null;
}

/**
 * Inserts a job row in SQL (as psql or another service would) and returns its id: factories.ts's
 * insertJob with the scheduler suites' defaults (no cron, no retries, next_run_at left to the
 * scheduler).
 */
export function insertJobRow(client: pg.Client | pg.Pool, input: JobRowInput): Promise<string> {
  return insertJob(client, {
    cronExpression: null,
    timeoutMs: 30000,
    maxRetries: 0,
    retryDelayMs: 1000,
    nextRunAt: null,
    ...input,
    target: (input.target ?? { type: 'handler', name: 'log' }) as unknown as JobTarget,
  });
}

export interface ExecutionRow {
  id: string;
  status: string;
  trigger: string;
  scheduled_for: Date | null;
  started_at: Date;
  completed_at: Date | null;
  retry_count: number;
  error_message: string | null;
  output: Record<string, unknown>;
  replica_id: string | null;
  duration_ms: number | null;
}

export async function executionsOf(
  client: pg.Client | pg.Pool,
  jobId: string,
): Promise<ExecutionRow[]> {
  const { rows } = await client.query<ExecutionRow>(
    `SELECT id, status, trigger, scheduled_for, started_at, completed_at, retry_count,
       error_message, output, replica_id, duration_ms
     FROM job_executions WHERE job_id = $1 ORDER BY started_at, retry_count`,
    [jobId],
  );
  return rows;
}

export async function jobRow(
  client: pg.Client | pg.Pool,
  jobId: string,
): Promise<Record<string, unknown> | undefined> {
  const { rows } = await client.query(`SELECT * FROM jobs WHERE id = $1`, [jobId]);
  return rows[0] as Record<string, unknown> | undefined;
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Error listener for a test's own pg.Pool: teardown drops the database WITH (FORCE), which
 * terminates any idle pooled connection; without a listener the pool re-emits that as an
 * uncaught 'error' and fails whichever test happens to be running.
 */
export const ignorePoolError = (): void => undefined;
