import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AdvisoryLock } from '../core/database/advisory-lock.js';
import type { ExecutionStatus } from './execution.entity.js';
import type { TargetType } from '../core/events/app-events.js';
import type { FinishedAttempt } from './run.types.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { SCHEDULER_DB } from '../core/database/data-source.js';
import { OUTCOME_EVENTS_SQL, windowSql } from './outcome-events.sql.js';

export interface FinishedRow {
  id: string;
  job_id: string;
  status: ExecutionStatus;
}

/** A job whose consecutive final failures reached its autoPauseAfterFailures in this batch. */
export interface AutoPaused {
  jobId: string;
  failures: number;
}

/**
 * Pauses the jobs of `AutoPaused` inside the outcome's transaction (the scheduler passes the jobs
 * module's pause, which this module cannot import).
 */
export type AutoPauseHook = (em: EntityManager, paused: AutoPaused[]) => Promise<void>;

export interface FinishResult {
  finished: FinishedRow[];
  retries: RetryRow[];
  /** Jobs this batch paused (autoPauseAfterFailures reached). */
  autoPaused: AutoPaused[];
  /** Notifications queued in the outbox. */
  notifications: number;
}

export interface RetryRow {
  job_id: string;
  attempt: number;
  run_at: Date;
}

export interface ClosedRow {
  id: string;
  job_id: string;
  retry_count: number;
  duration_ms: number;
  target_type: TargetType;
  replica_id: string | null;
}

export interface CloseResult {
  closed: ClosedRow[];
  retries: RetryRow[];
  /** Jobs paused by autoPauseAfterFailures (worker-lost final failures). */
  autoPaused: AutoPaused[];
  notifications: number;
}

/** PostgreSQL text and jsonb reject NUL characters, which a target's response may contain. */
const NUL = new RegExp(String.fromCharCode(0), 'g');
const withoutNul = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? value.replace(NUL, '') : value;

/** Whether replica `r`'s session lock (see ReplicaSession) is held by a live session. */
const REPLICA_LOCK_HELD = `EXISTS (SELECT 1 FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${AdvisoryLock.ReplicaSession}::oid AND l.objid = hashtext(r.id)::oid)`;

/** A final failure: failed or timed out with no retry left (a dead letter). */
const FINAL_FAILURE = `f.status IN ('failed', 'timeout') AND f.retry_at IS NULL`;

/**
 * finishMany's statement. Per job (`streak`): consecutive final failures (a success resets them;
 * only failures after the batch's last success count then), whether the job reaches
 * autoPauseAfterFailures now, and the windows of the last 100 lags (scheduled runs) and durations.
 */
const FINISH_SQL = `WITH f AS (
    SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::integer[],
      $5::text[], $6::text[], $7::integer[], $8::timestamptz[], $9::timestamptz[],
      $10::text[], $11::integer[]) WITH ORDINALITY
      AS f(id, started_at, status, duration_ms, error_message, output, retry_attempt,
           retry_at, scheduled_for, idempotency_key, http_status, ord)
  ), e AS (
    UPDATE job_executions x SET status = f.status, completed_at = now(),
      duration_ms = f.duration_ms, error_message = f.error_message, output = f.output::jsonb,
      http_status = f.http_status, final_failure = ${FINAL_FAILURE}
    FROM f WHERE x.id = f.id AND x.started_at = f.started_at AND x.status = 'running'
    RETURNING x.id, x.job_id, x.status, x.trigger, x.started_at, x.scheduled_for, x.retry_count,
      x.duration_ms, x.error_message, x.http_status, x.final_failure, f.ord, f.retry_attempt,
      f.retry_at, f.idempotency_key,
      LEAST(GREATEST(extract(epoch FROM x.started_at - x.scheduled_for) * 1000, 0),
        2147483647)::integer AS lag_ms
  ), old AS (
    SELECT id, name, alerts, auto_pause_after_failures, consecutive_failures, is_active
    FROM jobs WHERE id IN (SELECT job_id FROM e)
  ), agg AS (
    SELECT e.job_id, count(*)::int AS n,
      count(*) FILTER (WHERE e.status = 'completed')::int AS ok,
      count(*) FILTER (WHERE e.final_failure)::int AS final_fails,
      bool_or(e.status IN ('failed', 'timeout')) AS any_failed,
      max(e.ord) FILTER (WHERE e.status = 'completed') AS last_ok,
      max(e.ord) FILTER (WHERE e.final_failure) AS last_fail_ord,
      array_agg(e.duration_ms ORDER BY e.ord) AS durations,
      coalesce(array_agg(e.lag_ms ORDER BY e.ord)
        FILTER (WHERE e.trigger = 'schedule' AND e.scheduled_for IS NOT NULL), '{}') AS lags
    FROM e GROUP BY e.job_id
  ), streak AS (
    SELECT a.*, o.consecutive_failures AS old_consec, c.fails_after_ok, c.new_consec,
      (o.is_active AND o.auto_pause_after_failures IS NOT NULL AND a.final_fails > 0
        AND c.new_consec >= o.auto_pause_after_failures) AS paused
    FROM agg a JOIN old o ON o.id = a.job_id
    CROSS JOIN LATERAL (SELECT s.fails_after_ok, CASE WHEN a.ok > 0 THEN s.fails_after_ok
        ELSE o.consecutive_failures + a.final_fails END AS new_consec
      FROM (SELECT count(*)::int AS fails_after_ok FROM e
            WHERE e.job_id = a.job_id AND e.final_failure AND e.ord > coalesce(a.last_ok, 0)) s) c
  ), j AS (
    UPDATE jobs SET total_runs = total_runs + s.n,
      successful_runs = successful_runs + s.ok,
      failed_runs = failed_runs + s.n - s.ok,
      consecutive_failures = s.new_consec,
      last_success_at = CASE WHEN s.ok > 0 THEN now() ELSE jobs.last_success_at END,
      last_failure_at = CASE WHEN s.any_failed THEN now() ELSE jobs.last_failure_at END,
      recent_durations_ms = ${windowSql('recent_durations_ms', 's.durations')},
      recent_lags_ms = ${windowSql('recent_lags_ms', 's.lags')}
    FROM streak s WHERE jobs.id = s.job_id RETURNING jobs.id
  ), r AS (
    INSERT INTO job_pending_runs
      (job_id, trigger, attempt, scheduled_for, run_at, idempotency_key)
    SELECT e.job_id, 'retry', e.retry_attempt, e.scheduled_for, e.retry_at, e.idempotency_key
    FROM e WHERE e.retry_at IS NOT NULL
    RETURNING job_id, attempt, run_at
  ), ${OUTCOME_EVENTS_SQL}
  SELECT (SELECT json_agg(json_build_object('id', id, 'job_id', job_id, 'status', status))
          FROM e) AS finished,
         (SELECT json_agg(r) FROM r) AS retries,
         (SELECT json_agg(json_build_object('jobId', job_id, 'failures', new_consec))
          FROM streak WHERE paused) AS paused,
         (SELECT count(*) FROM n) AS notifications,
         (SELECT count(*) FROM j) AS jobs`;

/** Milliseconds since started_at, clamped to the integer column. */
const ELAPSED_MS = `LEAST(GREATEST(extract(epoch FROM clock_timestamp() - x.started_at) * 1000, 0),
  2147483647)::integer`;

/**
 * Closes executions and keeps job statistics in SQL (`total_runs = total_runs + n`, never
 * read-modify-write). Only rows still `running` are closed, so whoever closes a run first
 * (its replica, recovery, a replacing run) wins and the others change nothing.
 */
@Injectable()
export class ExecutionLedgerRepository {
  constructor(@InjectDataSource(SCHEDULER_DB) private readonly dataSource: DataSource) {}

  /**
   * Closes a batch of attempts, bumps their jobs' counters and figures, stores their retries,
   * queues the notifications all this causes (the outbox) and pauses, through `onAutoPause`, the
   * jobs that reached autoPauseAfterFailures, in one transaction. Jobs are locked first in id order, the order every claim uses, so batches and
   * claims cannot deadlock. Rows are found by their primary key (id, started_at); every insert
   * stores started_at truncated to milliseconds so the JS Date we hold matches it exactly.
   */
  async finishMany(items: FinishedAttempt[], onAutoPause?: AutoPauseHook): Promise<FinishResult> {
    return this.dataSource.transaction(async (em) => {
      const jobIds = [...new Set(items.map((i) => i.run.job.id))];
      await em.query(`SELECT 1 FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
        jobIds,
      ]);
      const [row]: {
        finished: FinishedRow[] | null;
        retries: RetryRow[] | null;
        paused: AutoPaused[] | null;
        notifications: number;
      }[] = await em.query(FINISH_SQL, [
        items.map((i) => i.run.executionId),
        items.map((i) => i.run.startedAt),
        items.map((i) => i.status),
        items.map((i) => i.durationMs),
        items.map((i) => i.errorMessage?.replace(NUL, '') ?? null),
        items.map((i) => JSON.stringify(i.output, withoutNul)),
        items.map((i) => i.retry?.attempt ?? null),
        items.map((i) => i.retry?.runAt ?? null),
        items.map((i) => i.run.scheduledFor),
        items.map((i) => i.run.idempotencyKey),
        items.map((i) => i.httpStatus),
      ]);
      const autoPaused = row.paused ?? [];
      if (autoPaused.length > 0 && onAutoPause) {
        await onAutoPause(em, autoPaused);
      }
      return {
        finished: row.finished ?? [],
        retries: (row.retries ?? []).map(reviveRetry),
        autoPaused,
        notifications: Number(row.notifications),
      };
    });
  }

  /**
   * concurrencyPolicy replace: closes the job's other running runs as interrupted. The replica
   * running one sees its row closed (watchClosed) and aborts the attempt.
   */
  async interruptOthers(jobId: string, keepExecutionId: string): Promise<CloseResult> {
    return this.closeWhere(
      `x.job_id = $1 AND x.id <> $2`,
      [jobId, keepExecutionId],
      'interrupted',
      'replaced by a newer run (concurrencyPolicy replace)',
      false,
    );
  }

  /**
   * Runs left `running` by a replica that is gone are closed as failed "worker lost" and retried
   * per the job's maxRetries with trigger `recovery`. A replica is alive while it has not stopped,
   * its heartbeat is younger than `lostAfterMs` (a hung process stops beating) and, when it
   * registered a session lock, that lock is still held: PostgreSQL releases it the instant the
   * replica's process or connection dies, so a kill -9 is seen on the next sweep, not after
   * `lostAfterMs`. Never this replica's own runs (see closeOwnOrphans).
   */
  async closeLost(
    lostAfterMs: number,
    ownReplicaId: string,
    onAutoPause?: AutoPauseHook,
  ): Promise<CloseResult> {
    return this.closeWhere(
      `x.replica_id IS DISTINCT FROM $2 AND NOT EXISTS (
         SELECT 1 FROM scheduler_replicas r WHERE r.id = x.replica_id AND r.stopped_at IS NULL
           AND r.heartbeat_at > now() - make_interval(secs => $1::double precision / 1000)
           AND (NOT r.session_lock OR ${REPLICA_LOCK_HELD}))`,
      [lostAfterMs, ownReplicaId],
      'failed',
      'worker lost',
      true,
      onAutoPause,
    );
  }

  /**
   * At boot, runs left under our own id by a previous process (same REPLICA_ID) are lost: we hold
   * the id's session lock, so that process is gone, and nothing runs under the id yet. Other
   * replicas are not judged here: right after (re)connecting our evidence about them is not
   * trustworthy yet (RecoveryService waits WORKER_LOST_AFTER_MS before sweeping).
   */
  async closeOwnOrphans(ownReplicaId: string, onAutoPause?: AutoPauseHook): Promise<CloseResult> {
    return this.closeWhere(
      `x.replica_id = $1`,
      [ownReplicaId],
      'failed',
      'worker lost',
      true,
      onAutoPause,
    );
  }

  /** Which of these executions are no longer running (closed by recovery or a replacing run). */
  async findClosed(ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM job_executions WHERE id = ANY($1::uuid[]) AND status <> 'running'`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Closes rows matching `where` (alias x), bumps counters, optionally queues retries. A run closed
   * as failed with no retry left is a final failure: it counts toward the job's streak, may reach
   * autoPauseAfterFailures (`onAutoPause`), and queues job.failed, as in finishMany.
   */
  private async closeWhere(
    where: string,
    params: unknown[],
    status: 'failed' | 'interrupted',
    message: string,
    retry: boolean,
    onAutoPause?: AutoPauseHook,
  ): Promise<CloseResult> {
    const n = params.length;
    return this.dataSource.transaction(async (em) => {
      const [row]: {
        closed: ClosedRow[] | null;
        retries: RetryRow[] | null;
        paused: AutoPaused[] | null;
        notifications: number;
      }[] = await em.query(
        `WITH c AS (
           UPDATE job_executions x SET status = $${n + 1}::text, completed_at = now(),
             duration_ms = ${ELAPSED_MS}, error_message = $${n + 2},
             final_failure = $${n + 1}::text = 'failed' AND NOT ($${n + 3}::boolean
               AND x.retry_count < (SELECT max_retries FROM jobs WHERE jobs.id = x.job_id))
           WHERE x.status = 'running' AND ${where}
           RETURNING x.id, x.job_id, x.status, x.trigger, x.started_at, x.scheduled_for,
             x.retry_count, x.duration_ms, x.error_message, x.http_status, x.final_failure,
             x.replica_id, x.idempotency_key
         ), e AS (
           SELECT c.*, (row_number() OVER ())::int AS ord FROM c
         ), old AS (
           SELECT id, name, alerts, auto_pause_after_failures, consecutive_failures, is_active
           FROM jobs WHERE id IN (SELECT job_id FROM c)
         ), streak AS (
           SELECT a.*, o.consecutive_failures AS old_consec, 0 AS ok, 0 AS fails_after_ok,
             NULL::bigint AS last_ok, o.consecutive_failures + a.final_fails AS new_consec,
             (o.is_active AND o.auto_pause_after_failures IS NOT NULL AND a.final_fails > 0
               AND o.consecutive_failures + a.final_fails >= o.auto_pause_after_failures) AS paused
           FROM (SELECT job_id, count(*)::int AS n,
                   count(*) FILTER (WHERE final_failure)::int AS final_fails,
                   max(ord) FILTER (WHERE final_failure) AS last_fail_ord
                 FROM e GROUP BY job_id) a
           JOIN old o ON o.id = a.job_id
         ), j AS (
           UPDATE jobs SET total_runs = total_runs + s.n, failed_runs = failed_runs + s.n,
             consecutive_failures = s.new_consec,
             last_failure_at = CASE WHEN $${n + 1}::text = 'failed' THEN now() ELSE jobs.last_failure_at END
           FROM streak s WHERE jobs.id = s.job_id
           RETURNING jobs.id, jobs.max_retries, jobs.target->>'type' AS target_type
         ), r AS (
           INSERT INTO job_pending_runs
             (job_id, trigger, attempt, scheduled_for, run_at, idempotency_key)
           SELECT c.job_id, 'recovery', c.retry_count + 1, c.scheduled_for, now(), c.idempotency_key
           FROM c JOIN j ON j.id = c.job_id WHERE $${n + 3}::boolean AND c.retry_count < j.max_retries
           RETURNING job_id, attempt, run_at
         ), ${OUTCOME_EVENTS_SQL}
         SELECT (SELECT json_agg(json_build_object('id', c.id, 'job_id', c.job_id,
                   'retry_count', c.retry_count, 'duration_ms', c.duration_ms,
                   'replica_id', c.replica_id, 'target_type', j.target_type))
                 FROM c JOIN j ON j.id = c.job_id) AS closed,
                (SELECT json_agg(r) FROM r) AS retries,
                (SELECT json_agg(json_build_object('jobId', job_id, 'failures', new_consec))
                 FROM streak WHERE paused) AS paused,
                (SELECT count(*) FROM n) AS notifications`,
        [...params, status, message, retry],
      );
      const autoPaused = row.paused ?? [];
      if (autoPaused.length > 0 && onAutoPause) {
        await onAutoPause(em, autoPaused);
      }
      return {
        closed: row.closed ?? [],
        retries: (row.retries ?? []).map(reviveRetry),
        autoPaused,
        notifications: Number(row.notifications),
      };
    });
  }
}

function reviveRetry(r: RetryRow): RetryRow {
  return { job_id: r.job_id, attempt: r.attempt, run_at: new Date(r.run_at) };
}
