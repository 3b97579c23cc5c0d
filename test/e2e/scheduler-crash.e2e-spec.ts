import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { HttpTargetServer } from '../support/http-target.js';
import { ReplicaProcess, buildApp } from '../support/replica-process.js';
import {
  executionsOf,
  insertJobRow,
  waitFor,
  ignorePoolError,
} from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(120000);

const FAST_LIVENESS = { HEARTBEAT_INTERVAL_MS: '200', WORKER_LOST_AFTER_MS: '1500' };

async function replicaUp(sql: pg.Pool, id: string): Promise<void> {
  await waitFor(
    `replica ${id} heartbeat`,
    async () => {
      const { rows } = await sql.query(
        `SELECT 1 FROM scheduler_replicas WHERE id = $1 AND stopped_at IS NULL`,
        [id],
      );
      return rows.length > 0;
    },
    30000,
  );
}

describe('Scheduler crash safety (child-process replicas)', () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  const children: ReplicaProcess[] = [];
  const apps: TestApp[] = [];

  beforeAll(async () => {
    buildApp();
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.dispose()));
    for (const a of apps) {
      await a.close();
    }
    await sql.end();
    await db.drop();
  });

  it('closes the run of a SIGKILLed replica as "worker lost" and a survivor retries it', async () => {
    // The first call hangs (the replica dies during it); later calls answer at once.
    const target = await new HttpTargetServer({
      delayMs: (req) => (req.headers['x-attempt'] === '1' ? 60000 : 0),
    }).start();
    try {
      const child = await ReplicaProcess.start(db.url, { REPLICA_ID: 'doomed', ...FAST_LIVENESS });
      children.push(child);
      await replicaUp(sql, 'doomed');
      const jobId = await insertJobRow(sql, {
        jobType: 'immediate',
        maxRetries: 1,
        timeoutMs: 60000,
        target: { type: 'http', url: target.url('/crash') },
      });
      await waitFor('the first attempt in flight', () => target.forJob(jobId).length === 1, 15000);
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');

      apps.push(
        await createTestApp({
          db,
          env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'survivor', ...FAST_LIVENESS },
        }),
      );
      const rows = await waitFor(
        'the recovered run',
        async () => {
          const r = await executionsOf(sql, jobId);
          return r.length === 2 && r[1].status === 'completed' ? r : undefined;
        },
        20000,
      );
      expect(rows[0]).toMatchObject({
        status: 'failed',
        error_message: 'worker lost',
        replica_id: 'doomed',
        retry_count: 0,
      });
      expect(rows[1]).toMatchObject({
        trigger: 'recovery',
        retry_count: 1,
        replica_id: 'survivor',
      });
      expect(target.forJob(jobId).map((r) => r.headers['x-attempt'])).toEqual(['1', '2']);
      const { rows: job } = await sql.query(`SELECT * FROM jobs WHERE id = $1`, [jobId]);
      expect(job[0]).toMatchObject({ total_runs: 2, failed_runs: 1, successful_runs: 1 });
    } finally {
      await target.stop();
    }
  });

  it('drains on SIGTERM: a run within the grace period completes, a longer one is interrupted, exit 0', async () => {
    const target = await new HttpTargetServer({
      delayMs: (req) => (req.path === '/quick' ? 800 : 60000),
    }).start();
    try {
      const child = await ReplicaProcess.start(db.url, {
        REPLICA_ID: 'drained',
        SHUTDOWN_GRACE_MS: '2500',
      });
      children.push(child);
      await replicaUp(sql, 'drained');
      // The survivor of the previous test must not take these runs.
      await Promise.all(apps.splice(0).map((a) => a.close()));
      const quick = await insertJobRow(sql, {
        jobType: 'immediate',
        timeoutMs: 60000,
        target: { type: 'http', url: target.url('/quick') },
      });
      const slow = await insertJobRow(sql, {
        jobType: 'immediate',
        timeoutMs: 60000,
        maxRetries: 2,
        target: { type: 'http', url: target.url('/slow') },
      });
      await waitFor('both runs in flight', () => target.requests.length === 2, 15000);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      const exit = await child.exited;
      expect(exit.code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(15000);
      const [quickRun] = await executionsOf(sql, quick);
      const [slowRun] = await executionsOf(sql, slow);
      expect(quickRun.status).toBe('completed');
      expect(slowRun.status).toBe('interrupted');
      expect(slowRun.duration_ms).toBeGreaterThanOrEqual(2000);
      const { rows } = await sql.query(
        `SELECT stopped_at FROM scheduler_replicas WHERE id = 'drained'`,
      );
      expect(rows[0].stopped_at).not.toBeNull();
    } finally {
      await target.stop();
    }
  });
});
