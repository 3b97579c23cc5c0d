-- The same claim as claim-batch.sql, as the service sends it from Node: $1 job ids, $2 slots.
-- DRAFT: replace with the engine's batched statement from src/scheduler/slot-claim.repository.ts.
WITH won AS (
  UPDATE jobs SET next_run_at = jobs.next_run_at + interval '1 second', last_run_at = now()
  FROM unnest($1::uuid[], $2::timestamptz[]) AS due(id, slot)
  WHERE jobs.id = due.id AND jobs.next_run_at = due.slot AND jobs.is_active
  RETURNING jobs.id, due.slot
)
INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at)
SELECT id, 'running', 'schedule', slot, now() FROM won
