import { describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { HttpTargetServer } from '../support/http-target.js';
import {
  executionsOf,
  insertJobRow,
  sleep,
  waitFor,
  ignorePoolError,
} from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(90000);

interface SlotCount {
  duplicates: string[];
  misses: string[];
  slots: number;
}

/** Every second from the first to the last slot seen must appear exactly once. */
function countSlots(slots: Date[]): SlotCount {
  const counts = new Map<number, number>();
  slots.forEach((s) => counts.set(s.getTime(), (counts.get(s.getTime()) ?? 0) + 1));
  const times = [...counts.keys()].sort((a, b) => a - b);
  const duplicates = [...counts.entries()]
    .filter(([, n]) => n > 1)
    .map(([t]) => new Date(t).toISOString());
  const misses: string[] = [];
  for (let t = times[0]; t <= times[times.length - 1]; t += 1000) {
    if (!counts.has(t)) {
      misses.push(new Date(t).toISOString());
    }
  }
  return { duplicates, misses, slots: times.length };
}

async function runReplicas(replicas: number, seconds: number): Promise<void> {
  const db: TestDatabase = await createTestDatabase();
  const target = await new HttpTargetServer().start();
  const apps: TestApp[] = [];
  const sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
  try {
    for (let i = 0; i < replicas; i++) {
      apps.push(
        await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: `r${i + 1}` } }),
      );
    }
    const jobId = await insertJobRow(sql, {
      cronExpression: '* * * * * *',
      concurrencyPolicy: 'allow',
      target: { type: 'http', url: target.url('/tick') },
    });
    await sleep(seconds * 1000);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
    await sleep(1500);

    const rows = await executionsOf(sql, jobId);
    const fromRows = countSlots(rows.map((r) => r.scheduled_for as Date));
    const fromTarget = countSlots(
      target.forJob(jobId).map((r) => new Date(String(r.headers['x-scheduled-for']))),
    );
    const byReplica = new Map<string, number>();
    rows.forEach((r) =>
      byReplica.set(r.replica_id ?? '?', (byReplica.get(r.replica_id ?? '?') ?? 0) + 1),
    );
    process.stdout.write(
      `${replicas} replicas: ${fromRows.slots} slots, per replica ${JSON.stringify([...byReplica])}\n`,
    );
    expect(fromRows.duplicates).toEqual([]);
    expect(fromRows.misses).toEqual([]);
    expect(fromTarget.duplicates).toEqual([]);
    expect(fromTarget.misses).toEqual([]);
    expect(fromRows.slots).toBeGreaterThanOrEqual(seconds - 3);
    expect(fromTarget.slots).toBe(fromRows.slots);
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
    const { rows: job } = await sql.query(`SELECT total_runs FROM jobs WHERE id = $1`, [jobId]);
    expect(job[0].total_runs).toBe(rows.length);
  } finally {
    await sql.end();
    for (const a of apps) {
      await a.close();
    }
    await target.stop();
    await db.drop();
  }
}

describe('Scheduler with several replicas on one database', () => {
  it('runs every slot of an every-second job exactly once with two replicas', async () => {
    await runReplicas(2, 12);
  });

  it('runs every slot of an every-second job exactly once with three replicas for 20 s', async () => {
    await runReplicas(3, 20);
  });

  it('runs each retry of failing jobs exactly once across three replicas', async () => {
    const db = await createTestDatabase();
    const failing = await new HttpTargetServer({ status: 503 }).start();
    const sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
    const apps: TestApp[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        apps.push(
          await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: `f${i}` } }),
        );
      }
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        ids.push(
          await insertJobRow(sql, {
            jobType: 'immediate',
            maxRetries: 2,
            retryDelayMs: 1000,
            target: { type: 'http', url: failing.url('/r') },
          }),
        );
      }
      await waitFor(
        'all attempts',
        async () => {
          const { rows } = await sql.query(
            `SELECT count(*)::int AS n FROM job_executions WHERE status <> 'running'`,
          );
          return rows[0].n >= 60;
        },
        30000,
      );
      await sleep(2500);
      const { rows } = await sql.query(
        `SELECT job_id, array_agg(retry_count ORDER BY retry_count) AS attempts
         FROM job_executions GROUP BY job_id`,
      );
      expect(rows).toHaveLength(20);
      rows.forEach((r) => expect(r.attempts).toEqual([0, 1, 2]));
      expect(failing.requests).toHaveLength(60);
      const { rows: pending } = await sql.query(`SELECT count(*)::int AS n FROM job_pending_runs`);
      expect(pending[0].n).toBe(0);
    } finally {
      await sql.end();
      for (const a of apps) {
        await a.close();
      }
      await failing.stop();
      await db.drop();
    }
  });
});
