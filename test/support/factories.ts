import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { ExecutionEntity } from '../../src/executions/execution.entity.js';
import type { JobEntity } from '../../src/jobs/job.entity.js';

/**
 * Test data builders shared by every e2e suite (the one place rows are inserted by hand). Overrides
 * win; defaults describe an ordinary active scheduled job that logs its payload. They take the
 * app's DataSource or a test's own pg client or pool.
 */
export type Sql = DataSource | pg.ClientBase | pg.Pool;

async function rowsOf<T>(sql: Sql, text: string, args: unknown[] = []): Promise<T[]> {
  const query = sql.query.bind(sql) as (text: string, args: unknown[]) => Promise<unknown>;
  const result = await query(text, args);
  return Array.isArray(result) ? (result as T[]) : ((result as pg.QueryResult).rows as T[]);
}

let seq = 0;
const next = (): number => ++seq;

/** A valid POST /api/jobs body (plain JSON, as a client sends it). */
export function buildCreateJobDto(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: `job-${next()}`,
    description: 'a test job',
    cronExpression: '0 0 * * *',
    isActive: true,
    jobType: 'scheduled',
    payload: { source: 'test' },
    timeoutMs: 30000,
    maxRetries: 3,
    retryDelayMs: 5000,
    tags: ['test'],
    ...overrides,
  };
}

export type JobRow = Partial<Omit<JobEntity, 'createdAt' | 'updatedAt'>> & {
  createdAt?: Date;
  updatedAt?: Date;
};

const JOB_COLUMNS: Record<string, string> = {
  id: 'id',
  name: 'name',
  description: 'description',
  cronExpression: 'cron_expression',
  isActive: 'is_active',
  jobType: 'job_type',
  payload: 'payload',
  timezone: 'timezone',
  intervalMs: 'interval_ms',
  runAt: 'run_at',
  target: 'target',
  concurrencyPolicy: 'concurrency_policy',
  misfirePolicy: 'misfire_policy',
  retryBackoff: 'retry_backoff',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  lastRunAt: 'last_run_at',
  nextRunAt: 'next_run_at',
  totalRuns: 'total_runs',
  successfulRuns: 'successful_runs',
  failedRuns: 'failed_runs',
  skippedRuns: 'skipped_runs',
  timeoutMs: 'timeout_ms',
  maxRetries: 'max_retries',
  retryDelayMs: 'retry_delay_ms',
  createdBy: 'created_by',
  tags: 'tags',
};

const JSON_COLUMNS = new Set(['payload', 'target', 'output']);

async function insertRow(
  ds: Sql,
  table: string,
  columns: Record<string, string>,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const keys = Object.keys(values).filter((k) => values[k] !== undefined);
  for (const k of keys) {
    if (!columns[k]) {
      throw new Error(`unknown ${table} field ${k}`);
    }
  }
  const cols = keys.map((k) => columns[k]).join(', ');
  const params = keys.map((_k, i) => `$${i + 1}`).join(', ');
  const args = keys.map((k) => (JSON_COLUMNS.has(k) ? JSON.stringify(values[k]) : values[k]));
  const rows = await rowsOf<Record<string, unknown>>(
    ds,
    `INSERT INTO ${table} (${cols}) VALUES (${params}) RETURNING id`,
    args,
  );
  return rows[0];
}

/**
 * Inserts a job row directly (bypassing the API, so counters and timestamps can be set).
 * Returns its id.
 */
export async function insertJob(ds: Sql, overrides: JobRow = {}): Promise<string> {
  const values: JobRow = {
    name: `job-${next()}`,
    description: null,
    cronExpression: '0 0 * * *',
    isActive: true,
    jobType: 'scheduled',
    timezone: 'UTC',
    target: { type: 'handler', name: 'log' },
    tags: [],
    ...overrides,
  };
  const row = await insertRow(ds, 'jobs', JOB_COLUMNS, values);
  return row.id as string;
}

/** The fields of an execution row to insert (ExecutionRow in scheduler-fixtures is one read back). */
export type ExecutionInput = Partial<ExecutionEntity> & { jobId: string };

const EXECUTION_COLUMNS: Record<string, string> = {
  id: 'id',
  jobId: 'job_id',
  status: 'status',
  trigger: 'trigger',
  scheduledFor: 'scheduled_for',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  durationMs: 'duration_ms',
  errorMessage: 'error_message',
  retryCount: 'retry_count',
  output: 'output',
  replicaId: 'replica_id',
  finalFailure: 'final_failure',
};

/** Inserts an execution row (default: completed one second after start). Returns its id. */
export async function insertExecution(ds: Sql, overrides: ExecutionInput): Promise<string> {
  const startedAt = overrides.startedAt ?? new Date();
  const values: ExecutionInput = {
    status: 'completed',
    trigger: 'schedule',
    scheduledFor: startedAt,
    completedAt: new Date(startedAt.getTime() + 1000),
    durationMs: 1000,
    output: {},
    ...overrides,
    startedAt,
  };
  const row = await insertRow(ds, 'job_executions', EXECUTION_COLUMNS, values);
  return row.id as string;
}

/** Number of rows in `jobs`, to prove a rejected request wrote nothing. */
export async function countJobs(ds: Sql): Promise<number> {
  const rows = await rowsOf<{ n: number }>(ds, `SELECT count(*)::int AS n FROM jobs`);
  return rows[0].n;
}
