import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/** Where a row with this started_at was stored. */
async function partitionOf(client: pg.Client, startedAt: string): Promise<string> {
  const { rows } = await client.query<{ part: string }>(
    `INSERT INTO job_executions (job_id, status, started_at) VALUES ($1, 'completed', $2)
     RETURNING tableoid::regclass::text AS part`,
    [jobId, startedAt],
  );
  return rows[0].part;
}

let jobId: string;

describe('job_executions partitions', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO jobs (name, cron_expression) VALUES ('p', '* * * * *') RETURNING id`,
    );
    jobId = rows[0].id;
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('is range-partitioned by month with the current and next months and a DEFAULT partition', async () => {
    const { rows } = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'job_executions'::regclass ORDER BY 1`,
    );
    const month = (offset: number): string => {
      const d = new Date();
      const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
      return `job_executions_${m.getUTCFullYear()}_${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    const names = rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining([month(0), month(1), 'job_executions_default']));
    expect(rows.find((r) => r.name === 'job_executions_default')?.bound).toBe('DEFAULT');
    const { rows: kind } = await client.query<{ strategy: string }>(
      `SELECT partstrat AS strategy FROM pg_partitioned_table WHERE partrelid = 'job_executions'::regclass`,
    );
    expect(kind[0].strategy).toBe('r');
  });

  it("stores a next-month row in that month's partition", async () => {
    const d = new Date();
    const nextMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 15, 12));
    const expected = `job_executions_${nextMonth.getUTCFullYear()}_${String(nextMonth.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(await partitionOf(client, nextMonth.toISOString())).toBe(expected);
  });

  it('stores a row far in the future in DEFAULT instead of failing', async () => {
    expect(await partitionOf(client, '2199-01-01T00:00:00Z')).toBe('job_executions_default');
  });

  it('creates a later month on demand and moves rows already parked in DEFAULT into it', async () => {
    await partitionOf(client, '2150-03-10T00:00:00Z');
    expect(await partitionOf(client, '2150-03-20T00:00:00Z')).toBe('job_executions_default');
    await client.query(`SELECT ensure_execution_partition('2150-03-01T00:00:00Z')`);
    const { rows } = await client.query<{ part: string; n: string }>(
      `SELECT tableoid::regclass::text AS part, count(*) AS n FROM job_executions
       WHERE started_at >= '2150-03-01' AND started_at < '2150-04-01' GROUP BY 1`,
    );
    expect(rows).toEqual([{ part: 'job_executions_2150_03', n: '2' }]);
    // Idempotent: asking again changes nothing.
    await client.query(`SELECT ensure_execution_partition('2150-03-05T00:00:00Z')`);
  });

  it('cleanup_old_executions(days) removes only rows older than the cutoff, dropping whole old partitions', async () => {
    await client.query(`DELETE FROM job_executions`);
    // An old month gets its own partition, plus one old row in a current partition's range.
    await client.query(`SELECT ensure_execution_partition(now() - interval '120 days')`);
    const oldPartition = (
      await client.query<{ p: string }>(
        `SELECT 'job_executions_' || to_char(date_trunc('month', (now() - interval '120 days') AT TIME ZONE 'UTC'), 'YYYY_MM') AS p`,
      )
    ).rows[0].p;
    await client.query(
      `INSERT INTO job_executions (job_id, status, started_at)
       SELECT $1, 'completed', now() - interval '120 days' FROM generate_series(1, 5)`,
      [jobId],
    );
    await client.query(
      `INSERT INTO job_executions (job_id, status, started_at) VALUES
        ($1, 'failed', now() - interval '40 days'),
        ($1, 'completed', now() - interval '10 days'),
        ($1, 'completed', now())`,
      [jobId],
    );
    const { rows } = await client.query<{ removed: string }>(
      `SELECT cleanup_old_executions(30) AS removed`,
    );
    expect(rows[0].removed).toBe('6');
    const left = await client.query<{ age: number }>(
      `SELECT extract(day FROM now() - started_at)::int AS age FROM job_executions ORDER BY started_at`,
    );
    expect(left.rows.map((r) => r.age)).toEqual([10, 0]);
    const exists = await client.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [
      oldPartition,
    ]);
    expect(exists.rows[0].t).toBeNull();
  });

  it("drops an analysed month without reading it: its rows removed are PostgreSQL's figure for it", async () => {
    await client.query(`DELETE FROM job_executions`);
    await client.query(`SELECT ensure_execution_partition(now() - interval '200 days')`);
    const { rows: part } = await client.query<{ p: string }>(
      `SELECT 'job_executions_' || to_char(date_trunc('month',
         (now() - interval '200 days') AT TIME ZONE 'UTC'), 'YYYY_MM') AS p`,
    );
    await client.query(
      `INSERT INTO job_executions (job_id, status, started_at)
       SELECT $1, 'completed', now() - interval '200 days' FROM generate_series(1, 5)`,
      [jobId],
    );
    await client.query(`ANALYZE ${part[0].p}`);
    // Rows deleted since the last ANALYZE are not in the catalog's figure: a count would say 3.
    await client.query(
      `DELETE FROM ${part[0].p} WHERE ctid IN (SELECT ctid FROM ${part[0].p} LIMIT 2)`,
    );
    const { rows } = await client.query<{ removed: string }>(
      `SELECT drop_execution_partitions_before(now() - interval '150 days') AS removed`,
    );
    expect(rows[0].removed).toBe('5');
    const gone = await client.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [
      part[0].p,
    ]);
    expect(gone.rows[0].t).toBeNull();
  });

  it('rejects a negative retention', async () => {
    await expect(client.query(`SELECT cleanup_old_executions(-1)`)).rejects.toThrow(/non-negative/);
  });
});
