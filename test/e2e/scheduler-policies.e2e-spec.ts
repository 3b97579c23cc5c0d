import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import pg from 'pg';
import type { AppEvents } from '../../src/core/events/app-events.js';
import { EventBus } from '../../src/core/events/event-bus.js';
import { SCHEDULER_PORT, type SchedulerPort } from '../../src/jobs/scheduler.port.js';
import { HttpTargetServer } from '../support/http-target.js';
import {
  executionsOf,
  insertJobRow,
  jobRow,
  sleep,
  waitFor,
  ignorePoolError,
} from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-db.js';

jest.setTimeout(60000);

describe('Scheduler policies, events and resilience', () => {
  let t: TestApp;
  let sql: pg.Pool;
  let port: SchedulerPort;
  const skipped: AppEvents['slot.skipped'][] = [];
  const slow = new HttpTargetServer({ delayMs: 2500 });

  beforeAll(async () => {
    await slow.start();
    t = await createTestApp({ env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'pol' } });
    sql = new pg.Pool({ connectionString: t.db.url, max: 2 }).on('error', ignorePoolError);
    port = t.app.get<SchedulerPort>(SCHEDULER_PORT);
    t.app.get(EventBus).subscribe('slot.skipped', (e) => skipped.push(e));
  });

  afterAll(async () => {
    await sql.end();
    await t.close();
    await slow.stop();
  });

  it('forbid: skips and counts slots falling due while the job runs, runs never overlap', async () => {
    const jobId = await insertJobRow(sql, {
      cronExpression: '* * * * * *',
      concurrencyPolicy: 'forbid',
      target: { type: 'http', url: slow.url('/forbid') },
    });
    await sleep(5500);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
    const rows = await waitFor('runs to end', async () => {
      const r = await executionsOf(sql, jobId);
      return r.every((e) => e.status !== 'running') ? r : undefined;
    });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].started_at.getTime()).toBeGreaterThanOrEqual(
        rows[i - 1].completed_at!.getTime(),
      );
    }
    const job = await jobRow(sql, jobId);
    expect(job?.skipped_runs).toBeGreaterThanOrEqual(2);
    const mine = skipped.filter((e) => e.jobId === jobId);
    expect(mine.length).toBe(job?.skipped_runs);
    expect(mine.every((e) => e.reason === 'concurrency_forbid')).toBe(true);
  });

  it('replace: a new slot closes the running run as interrupted and aborts it', async () => {
    const hanging = await new HttpTargetServer({ delayMs: 20000 }).start();
    try {
      const jobId = await insertJobRow(sql, {
        cronExpression: '*/2 * * * * *',
        concurrencyPolicy: 'replace',
        timeoutMs: 30000,
        target: { type: 'http', url: hanging.url('/replace') },
      });
      // The newer run's row is committed by its claim; closing the older one follows in its
      // dispatch, a moment later: wait for that, not just for the second row.
      const [first, second] = await waitFor(
        'the older of two runs interrupted',
        async () => {
          const r = await executionsOf(sql, jobId);
          return r.length >= 2 && r[0].status !== 'running' ? r : undefined;
        },
        8000,
      );
      await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
      expect(first.status).toBe('interrupted');
      expect(first.error_message).toMatch(/replaced by a newer run/);
      expect(second.status).toBe('running');
      await waitFor('the replaced call aborted', () => hanging.abandoned.has(first.id), 3000);
      expect(hanging.abandoned.has(second.id)).toBe(false);
    } finally {
      await hanging.stop();
    }
  });

  it('replace: aborts the older run on whichever replica runs it', async () => {
    const other = await createTestApp({
      db: t.db,
      env: {
        SCHEDULER_ENABLED: 'true',
        REPLICA_ID: 'pol-2',
        HEARTBEAT_INTERVAL_MS: '200',
        SHUTDOWN_GRACE_MS: '500',
      },
    });
    const hanging = await new HttpTargetServer({ delayMs: 20000 }).start();
    try {
      const jobId = await insertJobRow(sql, {
        cronExpression: '* * * * * *',
        concurrencyPolicy: 'replace',
        timeoutMs: 30000,
        target: { type: 'http', url: hanging.url('/replace-2') },
      });
      // As above: each run is closed by the next one's dispatch, just after that one's claim.
      const rows = await waitFor(
        'four runs, the older three closed',
        async () => {
          const r = await executionsOf(sql, jobId);
          return r.length >= 4 && r.slice(0, 3).every((e) => e.status !== 'running')
            ? r
            : undefined;
        },
        10000,
      );
      await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
      const older = rows.slice(0, 3);
      expect(older.every((r) => r.status === 'interrupted')).toBe(true);
      await waitFor(
        'every replaced call aborted',
        () => older.every((r) => hanging.abandoned.has(r.id)),
        5000,
      );
    } finally {
      await hanging.stop();
      await other.close();
    }
  });

  it('keeps following changes after its LISTEN connection is killed', async () => {
    await waitFor('listening', () => port.status().listening);
    await sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'job-scheduler-listen' AND datname = current_database()`,
    );
    const quick = await new HttpTargetServer().start();
    try {
      const jobId = await insertJobRow(sql, {
        jobType: 'immediate',
        target: { type: 'http', url: quick.url('/after-reconnect') },
      });
      await waitFor('the run after reconnect', () => quick.forJob(jobId).length === 1, 8000);
      await waitFor('listening again', () => port.status().listening, 8000);
    } finally {
      await quick.stop();
    }
  });

  it('reports its status', () => {
    expect(port.status()).toMatchObject({
      started: true,
      draining: false,
      replicaId: 'pol',
      listening: true,
    });
    expect(port.status().heartbeatAgeMs).toBeLessThan(10000);
  });
});

describe('Scheduler disabled (SCHEDULER_ENABLED=false)', () => {
  let t: TestApp;
  let sql: pg.Pool;

  beforeAll(async () => {
    t = await createTestApp();
    sql = new pg.Pool({ connectionString: t.db.url, max: 2 }).on('error', ignorePoolError);
  });

  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  it('fires nothing but still runs manual triggers through the dispatch, with events', async () => {
    const port = t.app.get<SchedulerPort>(SCHEDULER_PORT);
    const fired: AppEvents['slot.fired'][] = [];
    const finished: AppEvents['execution.finished'][] = [];
    const bus = t.app.get(EventBus);
    bus.subscribe('slot.fired', (e) => fired.push(e));
    bus.subscribe('execution.finished', (e) => finished.push(e));
    const jobId = await insertJobRow(sql, { jobType: 'immediate' });
    await sleep(1200);
    expect(await executionsOf(sql, jobId)).toEqual([]);
    expect(port.status().started).toBe(false);
    const { executionId } = await port.triggerNow(jobId);
    await waitFor(
      'completion',
      async () => (await executionsOf(sql, jobId))[0]?.status === 'completed',
    );
    expect(fired).toEqual([expect.objectContaining({ jobId, executionId, trigger: 'manual' })]);
    expect(finished).toEqual([
      expect.objectContaining({
        jobId,
        executionId,
        status: 'completed',
        targetType: 'handler',
        attempt: 0,
      }),
    ]);
  });
});

describe('Partition upkeep (internal job)', () => {
  it('drops executions older than EXECUTION_RETENTION_DAYS at start and registers its interval', async () => {
    const db = await createTestDatabase();
    const sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
    let t: TestApp | undefined;
    try {
      const jobId = await insertJobRow(sql, { cronExpression: '0 0 1 1 *' });
      await sql.query(
        `INSERT INTO job_executions (job_id, status, started_at)
         VALUES ($1, 'completed', now() - interval '100 days'), ($1, 'completed', now() - interval '1 day')`,
        [jobId],
      );
      t = await createTestApp({
        db,
        env: { SCHEDULER_ENABLED: 'true', EXECUTION_RETENTION_DAYS: '30' },
      });
      await waitFor(
        'the old row dropped',
        async () => (await executionsOf(sql, jobId)).length === 1,
      );
      expect(t.app.get(SchedulerRegistry).getIntervals()).toContain('internal:partition-upkeep');
    } finally {
      await t?.close();
      await sql.end();
      await db.drop();
    }
  });
});
