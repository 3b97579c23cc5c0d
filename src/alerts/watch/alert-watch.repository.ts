import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdvisoryLock } from '../../core/database/advisory-lock.js';

const MS = (field: string): string =>
  `make_interval(secs => (j.alerts->>'${field}')::double precision / 1000)`;

/**
 * One pass of the watch, in one transaction under a transaction-level advisory lock, so one
 * replica at a time evaluates it (the others skip the pass). Reads active jobs with alerts
 * (ARCHITECTURE.md: alerts reads `jobs`, never writes it):
 * - job.missed: next_run_at is more than missedAfterMs in the past, so that slot was never
 *   claimed (every replica down, or none firing). Once per slot.
 * - job.no_success: no success for noSuccessWithinMs since the last success (or since the job was
 *   created). Once per last success.
 * job_alert_state remembers what was reported; notifications are queued per channel.
 */
const WATCH_SQL = `WITH cand AS (
    SELECT j.id, j.name, j.alerts, j.next_run_at, coalesce(j.last_success_at, j.created_at) AS since,
      j.last_success_at,
      (j.alerts->>'missedAfterMs' IS NOT NULL AND j.next_run_at < now() - ${MS('missedAfterMs')}
        AND s.missed_slot IS DISTINCT FROM j.next_run_at) AS missed,
      (j.alerts->>'noSuccessWithinMs' IS NOT NULL
        AND coalesce(j.last_success_at, j.created_at) < now() - ${MS('noSuccessWithinMs')}
        AND s.no_success_since IS DISTINCT FROM coalesce(j.last_success_at, j.created_at))
        AS no_success,
      s.missed_slot, s.no_success_since
    FROM jobs j LEFT JOIN job_alert_state s ON s.job_id = j.id
    WHERE j.alerts IS NOT NULL AND j.is_active
  ), hit AS (
    SELECT * FROM cand WHERE missed OR no_success
  ), st AS (
    INSERT INTO job_alert_state (job_id, missed_slot, no_success_since)
    SELECT id, CASE WHEN missed THEN next_run_at ELSE missed_slot END,
      CASE WHEN no_success THEN since ELSE no_success_since END
    FROM hit
    ON CONFLICT (job_id) DO UPDATE
      SET missed_slot = EXCLUDED.missed_slot, no_success_since = EXCLUDED.no_success_since
  ), ev AS (
    SELECT h.id AS job_id, h.alerts, 'job.missed'::text AS event, json_build_object(
        'event', 'job.missed', 'occurredAt', now(), 'job', json_build_object('id', h.id, 'name', h.name),
        'slot', h.next_run_at, 'missedAfterMs', (h.alerts->>'missedAfterMs')::bigint) AS payload
    FROM hit h WHERE h.missed
    UNION ALL
    SELECT h.id, h.alerts, 'job.no_success', json_build_object(
        'event', 'job.no_success', 'occurredAt', now(), 'job', json_build_object('id', h.id, 'name', h.name),
        'lastSuccessAt', h.last_success_at,
        'noSuccessWithinMs', (h.alerts->>'noSuccessWithinMs')::bigint)
    FROM hit h WHERE h.no_success
  ), n AS (
    INSERT INTO notifications (channel_id, job_id, event, payload)
    SELECT c.id, ev.job_id, ev.event, ev.payload
    FROM ev
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(ev.alerts->'channels') = 'array'
      THEN ev.alerts->'channels' ELSE '[]'::jsonb END) AS ch(id)
    JOIN notification_channels c ON c.id::text = ch.id
    RETURNING id
  )
  SELECT (SELECT count(*) FROM n)::int AS queued`;

@Injectable()
export class AlertWatchRepository {
  /** The API's pool: the watch must never take a connection the engine is waiting for. */
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs one pass if no other replica is; returns the notifications queued (null: skipped).
   * Settled notifications older than `retentionDays` (EXECUTION_RETENTION_DAYS, like the history)
   * are deleted in the same pass, a bounded batch at a time.
   */
  async pass(retentionDays: number): Promise<number | null> {
    return this.dataSource.transaction(async (em) => {
      const [lock]: { ok: boolean }[] = await em.query(
        `SELECT pg_try_advisory_xact_lock($1) AS ok`,
        [AdvisoryLock.AlertWatch],
      );
      if (!lock.ok) {
        return null;
      }
      const [row]: { queued: number }[] = await em.query(WATCH_SQL);
      await em.query(
        `DELETE FROM notifications WHERE id IN (
           SELECT id FROM notifications
           WHERE created_at < now() - make_interval(days => $1) AND status IN ('delivered', 'failed')
           ORDER BY created_at LIMIT 1000)`,
        [retentionDays],
      );
      return row.queued;
    });
  }
}
