-- pgbench script: claim-and-insert of ONE firing per statement (DRAFT of the engine's statement;
-- replace the statement with the engine's real one from src/scheduler/slot-claim.repository.ts).
-- Compare-and-set on next_run_at plus the execution insert, in one statement.
--
-- Variables (pgbench -D): per_client = jobs owned by each client, base = epoch second every
-- job's next_run_at starts at, i = 0. Client c owns jobs c*per_client+1 .. (c+1)*per_client
-- (seeded with deterministic uuids ('00000000000040008' || lpad(to_hex(n), 15, '0'))), so clients never contend. Its
-- i-th transaction claims job (i % per_client) at slot base + i / per_client: exactly the value
-- the previous sweep left, so every compare-and-set succeeds (checked afterwards by counting rows).
\set n :client_id * :per_client + 1 + :i % :per_client
\set slot :base + :i / :per_client
\set i :i + 1
WITH won AS (
  UPDATE jobs SET next_run_at = next_run_at + interval '1 second', last_run_at = now()
  WHERE id = ('00000000000040008' || lpad(to_hex(:n::bigint), 15, '0'))::uuid
    AND next_run_at = to_timestamp(:slot::float8) AND is_active
  RETURNING id, to_timestamp(:slot::float8) AS slot
)
INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at)
SELECT id, 'running', 'schedule', slot, now() FROM won;
