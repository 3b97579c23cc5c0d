/**
 * The alert side of recording outcomes (issue 16), as CTEs that finishMany appends to its
 * statement so that the outcome, the job's figures, an auto-pause and the notifications it causes
 * commit together or not at all. The outbox tables belong to the alerts module; this is the one
 * place outside it that writes them (ARCHITECTURE.md, "Tables and who writes them"): executions
 * cannot import alerts, and the outbox row must be in the outcome's transaction.
 *
 * Expects CTEs `e` (closed executions with ord, final_failure), `streak` (per job: ok,
 * final_fails, last_ok, new_consec, old_consec, paused, last_fail_ord) and `old` (the jobs' rows
 * before this statement: name, alerts, auto_pause_after_failures). Defines `ev` and `n`.
 */
export const OUTCOME_EVENTS_SQL = `
  ev AS (
    SELECT 'job.failed'::text AS event, e.job_id, e.id AS execution_id FROM e WHERE e.final_failure
    UNION ALL
    SELECT 'job.recovered', s.job_id, (SELECT e.id FROM e WHERE e.job_id = s.job_id AND e.ord = s.last_ok)
    FROM streak s WHERE s.ok > 0 AND s.old_consec + s.final_fails - s.fails_after_ok > 0
    UNION ALL
    SELECT 'job.auto_paused', s.job_id,
      (SELECT e.id FROM e WHERE e.job_id = s.job_id AND e.ord = s.last_fail_ord)
    FROM streak s WHERE s.paused
  ), n AS (
    INSERT INTO notifications (channel_id, job_id, event, payload)
    SELECT c.id, ev.job_id, ev.event, json_build_object(
        'event', ev.event,
        'occurredAt', now(),
        'job', json_build_object('id', o.id, 'name', o.name,
          'consecutiveFailures', s.new_consec,
          'autoPauseAfterFailures', o.auto_pause_after_failures,
          'paused', s.paused),
        'execution', json_build_object('id', x.id, 'status', x.status, 'trigger', x.trigger,
          'scheduledFor', x.scheduled_for, 'startedAt', x.started_at,
          'durationMs', x.duration_ms, 'attempt', x.retry_count + 1,
          'httpStatus', x.http_status, 'errorMessage', x.error_message))
    FROM ev
    JOIN old o ON o.id = ev.job_id
    JOIN streak s ON s.job_id = ev.job_id
    JOIN e x ON x.id = ev.execution_id
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(o.alerts->'channels') = 'array'
      THEN o.alerts->'channels' ELSE '[]'::jsonb END) AS ch(id)
    JOIN notification_channels c ON c.id::text = ch.id
    WHERE coalesce((o.alerts->>(CASE ev.event WHEN 'job.failed' THEN 'onFailure'
      WHEN 'job.recovered' THEN 'onRecovery' ELSE 'onAutoPause' END))::boolean, true)
    RETURNING id
  )`;

/**
 * The job's bounded window (the last 100 values) after appending `added`: what the statistics'
 * percentiles are computed from, without reading history.
 */
export function windowSql(column: string, added: string): string {
  return `(jobs.${column} || ${added})[greatest(cardinality(jobs.${column}) + cardinality(${added}) - 99, 1):]`;
}
