import type pg from 'pg';

export interface Month {
  partition: string;
  from: Date;
  to: Date;
}

/** The six monthly partitions ending with the current month, created by the service's function. */
export async function ensureMonths(c: pg.ClientBase, count: number): Promise<Month[]> {
  const months: Month[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const r = await c.query<{ part: string; lo: Date; hi: Date }>(
      `WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                         - make_interval(months => $1) AS lo)
       SELECT ensure_execution_partition(m.lo) AS part, m.lo, m.lo + interval '1 month' AS hi FROM m`,
      [k],
    );
    months.push({ partition: r.rows[0].part, from: r.rows[0].lo, to: r.rows[0].hi });
  }
  return months;
}

/** The secondary index definitions and the primary key of job_executions, as migrated. */
async function indexDefinitions(c: pg.ClientBase): Promise<{ indexes: string[]; pk: string }> {
  const idx = await c.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = 'public' AND tablename = 'job_executions' AND indexname <> 'pk_job_executions'`,
  );
  const pk = await c.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'pk_job_executions'`,
  );
  // pg_indexes shows a partitioned index as "ON ONLY parent", which would not cascade.
  return { indexes: idx.rows.map((r) => r.def.replace(' ON ONLY ', ' ON ')), pk: pk.rows[0].def };
}

/**
 * Loads `rows` executions spread evenly over `months` (one INSERT … SELECT generate_series per
 * partition, rows in time order, job ids round-robin over `jobs`, ~94% completed / 5% failed /
 * 1% timeout) with the indexes and the FK check off, then recreates exactly the migrated indexes
 * and vacuums, as the table would look in steady state.
 */
export async function loadExecutions(
  c: pg.ClientBase,
  months: Month[],
  rows: number,
  jobs: number,
): Promise<void> {
  const defs = await indexDefinitions(c);
  await c.query(`ALTER TABLE job_executions DROP CONSTRAINT pk_job_executions`);
  for (const def of defs.indexes) {
    await c.query(`DROP INDEX ${/INDEX (\S+) ON/.exec(def)?.[1]}`);
  }
  const perMonth = Math.floor(rows / months.length);
  await c.query(`SET session_replication_role = replica`);
  for (const m of months) {
    await c.query(
      `INSERT INTO ${m.partition} (job_id, status, trigger, scheduled_for, started_at,
                                  completed_at, duration_ms, error_message, retry_count, output)
       SELECT ('00000000000040008' || lpad(to_hex(1 + g % $4), 15, '0'))::uuid,
              CASE WHEN r < 0.94 THEN 'completed' WHEN r < 0.99 THEN 'failed' ELSE 'timeout' END,
              'schedule', ts - interval '3 ms', ts, ts + make_interval(secs => (g % 500) / 1000.0),
              g % 500, CASE WHEN r >= 0.94 THEN 'HTTP 500 from target' END, 0, '{}'::jsonb
       FROM (SELECT g, random() AS r,
                    $1::timestamptz + ($2::timestamptz - $1::timestamptz) * ((g - 1)::float8 / $3) AS ts
             FROM generate_series(1, $3::int) AS g) s`,
      [m.from, m.to, perMonth, jobs],
    );
  }
  await c.query(`SET session_replication_role = origin`);
  await c.query(`SET maintenance_work_mem = '256MB'`);
  await c.query(`ALTER TABLE job_executions ADD CONSTRAINT pk_job_executions ${defs.pk}`);
  for (const def of defs.indexes) {
    await c.query(def);
  }
  await c.query('VACUUM ANALYZE job_executions');
  const invalid = await c.query(
    `SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relname LIKE 'job_executions%' AND NOT i.indisvalid`,
  );
  if (invalid.rows[0].n > 0) {
    throw new Error('some job_executions indexes are not valid after the load');
  }
}
