-- The same claim as claim-single.sql, as the service sends it from Node ($1 job id, $2 slot).
-- DRAFT: replace with the engine's statement from src/scheduler/slot-claim.repository.ts.
WITH won AS (
  UPDATE jobs SET next_run_at = next_run_at + interval '1 second', last_run_at = now()
  WHERE id = $1 AND next_run_at = $2 AND is_active
  RETURNING id, $2::timestamptz AS slot
)
INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at)
SELECT id, 'running', 'schedule', slot, now() FROM won
