-- pgbench script: claim-and-insert of :batch firings in ONE statement (DRAFT of the engine's
-- batched statement; the engine passes unnest($1::uuid[], $2::timestamptz[]) where `due` is
-- built here from generate_series). Replace with the engine's real statement when it lands.
--
-- Variables (pgbench -D): per_client (a multiple of batch), base, batch, i = 0. Client c owns
-- jobs c*per_client+1 .. (c+1)*per_client; its i-th transaction claims the next `batch` of them
-- at the slot the previous sweep left, so every compare-and-set succeeds.
\set j0 (:i * :batch) % :per_client
\set slot :base + (:i * :batch) / :per_client
\set i :i + 1
WITH due AS (
  SELECT ('00000000000040008' || lpad(to_hex(:client_id::bigint * :per_client + 1 + g), 15, '0'))::uuid AS id,
         to_timestamp(:slot::float8) AS slot
  FROM generate_series(:j0::int, :j0::int + :batch::int - 1) AS g
), won AS (
  UPDATE jobs SET next_run_at = jobs.next_run_at + interval '1 second', last_run_at = now()
  FROM due
  WHERE jobs.id = due.id AND jobs.next_run_at = due.slot AND jobs.is_active
  RETURNING jobs.id, due.slot
)
INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at)
SELECT id, 'running', 'schedule', slot, now() FROM won;
