import pg from 'pg';

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

/** Inserts a job row in SQL (as psql or another service would) and returns its id. */
export async function insertJobRow(
  client: pg.Client | pg.Pool,
  input: JobRowInput,
): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO jobs (name, job_type, cron_expression, interval_ms, run_at, timezone, is_active,
       target, payload, concurrency_policy, misfire_policy, retry_backoff, timeout_ms,
       max_retries, retry_delay_ms, next_run_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [
      input.name ?? `job-${Math.random().toString(36).slice(2)}`,
      input.jobType ?? 'scheduled',
      input.cronExpression ?? null,
      input.intervalMs ?? null,
      input.runAt ?? null,
      input.timezone ?? 'UTC',
      input.isActive ?? true,
      JSON.stringify(input.target ?? { type: 'handler', name: 'log' }),
      JSON.stringify(input.payload ?? {}),
      input.concurrencyPolicy ?? 'forbid',
      input.misfirePolicy ?? 'fire_once',
      input.retryBackoff ?? 'fixed',
      input.timeoutMs ?? 30000,
      input.maxRetries ?? 0,
      input.retryDelayMs ?? 1000,
      input.nextRunAt ?? null,
    ],
  );
  return rows[0].id;
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
