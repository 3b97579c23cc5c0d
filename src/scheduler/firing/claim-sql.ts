import { runningRunOf } from '../../executions/execution.sql.js';
import { SCHEDULE_COLUMNS } from '../../jobs/schedule/schedule.js';
import { MISFIRE_TOLERANCE_MS } from './firing-plan.js';
import { RUNNABLE_COLUMNS } from '../../executions/run.types.js';

/**
 * The claim statements of SlotClaimRepository, kept apart so the `burst` benchmark runs exactly
 * this SQL (from Node and, with the parameters spelled as pgbench expressions, from pgbench).
 */
export const SLOT_COLUMNS = `id, next_run_at, misfire_policy, updated_at, remaining_runs,
  ${Object.values(SCHEDULE_COLUMNS).join(', ')}`;

/** $1 job ids: locks them in id order (concurrent claimers cannot deadlock). */
export const CLAIM_LOCK_SQL = `SELECT ${SLOT_COLUMNS}, now() AS now FROM jobs
  WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`;

/**
 * Claim-and-insert. The running check stays an EXISTS in the inlined CTE: measured with 10
 * concurrent claimers of 1,000 rows, it beat both a MATERIALIZED CTE (the planner may hash every
 * running execution for it) and a LATERAL … LIMIT 1 probe (half the throughput).
 * $1 ids, $2 slots (expected next_run_at), $3 next slots, $4 deactivate, $5 slot run (or null),
 * $6 skipped counts, $7/$8 fire_all catch-ups (ids, slots), $9 replica id, $10 when each slot
 * fires (the slot plus its jitter; lateness counts from it).
 *
 * A late slot (a misfire catch-up) of a job running under forbid is not skipped but deferred: it
 * becomes a pending run, which starts once the job is idle. After an outage the "running" run is
 * usually one whose outcome is still on its way to the database; skipping would lose the one
 * catch-up fire_once promises (issue 20). Under queue_one any slot finding a run in progress is
 * deferred that way, unless a scheduled run already waits (at most one): then it is skipped.
 *
 * maxRuns: every slot that runs or is deferred, and every catch-up, uses one of remaining_runs,
 * in this statement under the row lock, so replicas cannot overshoot; the claim that uses the
 * last one deactivates the job (next_run_at null).
 */
export const CLAIM_WRITE_SQL = `WITH d AS (
    SELECT d.*, ${runningRunOf('d.id')} AS busy,
      d.due_at < now() - make_interval(secs => ${MISFIRE_TOLERANCE_MS / 1000}) AS late,
      (SELECT count(*) FROM unnest($7::uuid[]) AS c(id) WHERE c.id = d.id)::int AS catch_ups
    FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::boolean[],
                $5::timestamptz[], $6::integer[], $10::timestamptz[])
      AS d(id, slot, next, deactivate, run_slot, skipped, due_at)
  ), p AS (
    SELECT d.*, j.concurrency_policy AS policy,
      d.run_slot IS NOT NULL
        AND NOT (d.busy AND j.concurrency_policy IN ('forbid', 'queue_one')) AS runs,
      d.run_slot IS NOT NULL AND d.busy AND (
        (j.concurrency_policy = 'forbid' AND d.late)
        OR (j.concurrency_policy = 'queue_one' AND NOT EXISTS (SELECT 1 FROM job_pending_runs w
          WHERE w.job_id = d.id AND w.trigger = 'schedule'))) AS deferred
    FROM d JOIN jobs j ON j.id = d.id
  ), q AS (
    SELECT p.*, (p.runs OR p.deferred)::int + p.catch_ups AS uses FROM p
  ), upd AS (
    UPDATE jobs j SET
      next_run_at = CASE WHEN j.remaining_runs <= q.uses THEN NULL ELSE q.next END,
      is_active = j.is_active AND NOT q.deactivate AND NOT coalesce(j.remaining_runs <= q.uses, false),
      remaining_runs = j.remaining_runs - q.uses,
      last_run_at = CASE WHEN q.runs THEN now() ELSE j.last_run_at END,
      skipped_runs = j.skipped_runs + q.skipped
        + CASE WHEN q.run_slot IS NOT NULL AND NOT q.runs AND NOT q.deferred THEN 1 ELSE 0 END
    FROM q WHERE j.id = q.id AND j.next_run_at = q.slot AND j.is_active
    RETURNING j.id, ${RUNNABLE_COLUMNS}, q.run_slot, q.busy, q.runs, q.deferred
  ), ins AS (
    INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at, replica_id)
    SELECT u.id, 'running', 'schedule', u.run_slot, date_trunc('milliseconds', now()), $9
    FROM upd u WHERE u.runs
    RETURNING id, job_id, started_at
  ), cu AS (
    INSERT INTO job_pending_runs (job_id, trigger, attempt, scheduled_for, run_at)
    SELECT c.id, 'schedule', 0, c.slot, now()
    FROM unnest($7::uuid[], $8::timestamptz[]) AS c(id, slot)
    WHERE c.id IN (SELECT id FROM upd)
    UNION ALL
    SELECT u.id, 'schedule', 0, u.run_slot, now() FROM upd u WHERE u.deferred
  )
  SELECT u.*, i.id AS execution_id, i.started_at
  FROM upd u LEFT JOIN ins i ON i.job_id = u.id`;

/**
 * Ends timed pauses (design 7.2) under the claim's row locks: compare-and-set on paused_until,
 * so a pause ends once, on whichever replica commits first, and a pause changed meanwhile is
 * left alone. $1 ids, $2 the paused_until read, $3 the first slot after now (null: none left,
 * the job stays inactive). Answers each pause ended, as it was (`old` reads the statement's
 * snapshot, before the update) with the version the change moved to, for the audit row.
 */
export const RESUME_SQL = `WITH old AS (
    SELECT id, paused_at, paused_until, pause_note FROM jobs WHERE id = ANY($1::uuid[])
  ), r AS (
    UPDATE jobs j SET is_active = d.next IS NOT NULL, next_run_at = d.next,
      paused_at = NULL, paused_until = NULL, pause_note = NULL
    FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS d(id, until, next)
    WHERE j.id = d.id AND j.paused_until = d.until AND NOT j.is_active
    RETURNING j.id, j.is_active, j.version
  )
  SELECT r.id, r.is_active AS "isActive", r.version, old.paused_at AS "pausedAt",
    old.paused_until AS "pausedUntil", old.pause_note AS "pauseNote"
  FROM r JOIN old ON old.id = r.id`;
