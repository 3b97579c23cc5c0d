import type { ExecutionStatus, ExecutionTrigger } from '../core/events/app-events.js';
import type { ConcurrencyPolicy, JobTarget, RetryBackoff } from '../core/job-vocabulary.js';

/**
 * A run, from its claim to its recorded outcome: what the run ledger (this module) stores and the
 * scheduler's dispatcher works with.
 */

/** What a dispatch needs of the job, as committed when its run was claimed. */
export interface RunnableJob {
  id: string;
  name: string;
  target: JobTarget;
  payload: Record<string, unknown>;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  retryBackoff: RetryBackoff;
  concurrencyPolicy: ConcurrencyPolicy;
}

/** One claimed run: its execution row exists (status running) and this replica dispatches it. */
export interface ClaimedRun {
  executionId: string;
  startedAt: Date;
  scheduledFor: Date | null;
  trigger: ExecutionTrigger;
  /** 0 for the first attempt; n for the n-th retry (the row's retry_count). */
  attempt: number;
  job: RunnableJob;
  /** Another run of the job was running when this one was claimed (concurrencyPolicy replace). */
  replacesRunning: boolean;
  /**
   * The same for every attempt of this run (retries, recovery, any replica): what a receiver
   * dedupes on. See slotKey; manual runs use `<job id>:manual:<triggered at>`.
   */
  idempotencyKey: string;
  /** When a scheduled slot was due to fire: scheduledFor plus the job's jitter (lag counts from it). */
  dueAt?: Date;
}

/** A scheduled slot's idempotency key: `<job id>:<scheduled for, ISO 8601>`. */
export function slotKey(jobId: string, scheduledFor: Date): string {
  return `${jobId}:${scheduledFor.toISOString()}`;
}

/**
 * SQL for a manual run's key from its job id and trigger instant (milliseconds), spelled like
 * slotKey's toISOString() so the format is the same whichever side builds it.
 */
export function manualKeySql(jobIdExpr: string, atExpr: string): string {
  return `${jobIdExpr}::text || ':manual:' || to_char(${atExpr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export type FinalStatus = Exclude<ExecutionStatus, 'running'>;

export interface FinishedAttempt {
  run: ClaimedRun;
  status: FinalStatus;
  durationMs: number;
  errorMessage: string | null;
  output: Record<string, unknown>;
  /** The http target's response status (null for handlers and calls that got no response). */
  httpStatus: number | null;
  /** When set, a retry with this attempt number is stored in the same transaction. */
  retry: { attempt: number; runAt: Date } | null;
}

/** SQL select list producing RunnableJob fields from `jobs j`. */
export const RUNNABLE_COLUMNS = `j.name, j.target, j.payload, j.timeout_ms, j.max_retries,
  j.retry_delay_ms, j.retry_backoff, j.concurrency_policy`;

export interface RunnableRow {
  id: string;
  name: string;
  target: JobTarget;
  payload: Record<string, unknown>;
  timeout_ms: number;
  max_retries: number;
  retry_delay_ms: number;
  retry_backoff: RetryBackoff;
  concurrency_policy: ConcurrencyPolicy;
}

export function toRunnableJob(row: RunnableRow): RunnableJob {
  return {
    id: row.id,
    name: row.name,
    target: row.target,
    payload: row.payload,
    timeoutMs: row.timeout_ms,
    maxRetries: row.max_retries,
    retryDelayMs: row.retry_delay_ms,
    retryBackoff: row.retry_backoff,
    concurrencyPolicy: row.concurrency_policy,
  };
}
