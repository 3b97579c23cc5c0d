import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
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

jest.setTimeout(60000);

const SECRET = 'e2e-signing-secret-0123456789';

describe('Scheduler (one replica, real timers)', () => {
  let t: TestApp;
  let sql: pg.Pool;
  let port: SchedulerPort;
  const target = new HttpTargetServer();

  beforeAll(async () => {
    await target.start();
    t = await createTestApp({
      env: { SCHEDULER_ENABLED: 'true', WEBHOOK_SIGNING_SECRET: SECRET, REPLICA_ID: 'solo' },
    });
    sql = new pg.Pool({ connectionString: t.db.url, max: 2 }).on('error', ignorePoolError);
    port = t.app.get<SchedulerPort>(SCHEDULER_PORT);
  });

  afterAll(async () => {
    await sql.end();
    await t.close();
    await target.stop();
  });

  it('fires a 6-field every-2-seconds job at the http target with the scheduler headers', async () => {
    const jobId = await insertJobRow(sql, {
      cronExpression: '*/2 * * * * *',
      target: { type: 'http', url: target.url('/every2') },
      payload: { hello: 'world' },
    });
    await waitFor('two deliveries', () => target.forJob(jobId).length >= 2, 10000);
    const [first, second] = target.forJob(jobId);
    const execs = await executionsOf(sql, jobId);
    expect(first.method).toBe('POST');
    expect(JSON.parse(first.body)).toEqual({ hello: 'world' });
    expect(execs.map((e) => e.id)).toContain(first.headers['x-execution-id']);
    expect(first.headers['x-attempt']).toBe('1');
    const slotA = new Date(String(first.headers['x-scheduled-for']));
    const slotB = new Date(String(second.headers['x-scheduled-for']));
    expect(slotA.getUTCSeconds() % 2).toBe(0);
    expect(slotA.getUTCMilliseconds()).toBe(0);
    expect(slotB.getTime() - slotA.getTime()).toBe(2000);
    const [, ts, v1] =
      /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(first.headers['x-signature'])) ?? [];
    const expected = createHmac('sha256', SECRET).update(`${ts}.${first.body}`).digest('hex');
    expect(v1).toBe(expected);
    await waitFor('completed rows', async () =>
      (await executionsOf(sql, jobId)).some((e) => e.status === 'completed'),
    );
    const done = (await executionsOf(sql, jobId)).find((e) => e.status === 'completed');
    expect(done?.output).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(done?.trigger).toBe('schedule');
    const job = await jobRow(sql, jobId);
    expect(job?.successful_runs).toBeGreaterThanOrEqual(1);
    expect((job?.next_run_at as Date).getTime()).toBeGreaterThan(slotB.getTime());
    expect(port.isScheduled(jobId)).toBe(true);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
  });

  it('fires a delayed job once at runAt, then deactivates it with nextRunAt null', async () => {
    const runAt = new Date(Date.now() + 1500);
    const jobId = await insertJobRow(sql, {
      jobType: 'delayed',
      runAt,
      nextRunAt: runAt,
      target: { type: 'http', url: target.url('/delayed') },
    });
    await waitFor('the delivery', () => target.forJob(jobId).length === 1);
    expect(target.forJob(jobId)[0].receivedAt.getTime()).toBeGreaterThanOrEqual(runAt.getTime());
    await waitFor('deactivation', async () => (await jobRow(sql, jobId))?.is_active === false);
    await sleep(1500);
    const job = await jobRow(sql, jobId);
    expect(job?.next_run_at).toBeNull();
    expect(target.forJob(jobId)).toHaveLength(1);
    expect(port.isScheduled(jobId)).toBe(false);
  });

  it('fires an immediate job once as soon as it exists', async () => {
    const jobId = await insertJobRow(sql, {
      jobType: 'immediate',
      target: { type: 'http', url: target.url('/now') },
    });
    await waitFor('the delivery', () => target.forJob(jobId).length === 1, 3000);
    await sleep(1200);
    expect(target.forJob(jobId)).toHaveLength(1);
    const job = await jobRow(sql, jobId);
    expect(job).toMatchObject({ is_active: false, next_run_at: null, total_runs: 1 });
  });

  it('retries a failing target maxRetries times with a growing retryCount', async () => {
    const failing = new HttpTargetServer({ status: 500 });
    await failing.start();
    try {
      const jobId = await insertJobRow(sql, {
        jobType: 'immediate',
        maxRetries: 2,
        retryDelayMs: 1000,
        target: { type: 'http', url: failing.url('/fail') },
      });
      await waitFor(
        'three failed attempts',
        async () => {
          const rows = await executionsOf(sql, jobId);
          return rows.length === 3 && rows.every((r) => r.status === 'failed');
        },
        15000,
      );
      await sleep(1500);
      const rows = await executionsOf(sql, jobId);
      expect(rows.map((r) => r.retry_count)).toEqual([0, 1, 2]);
      expect(rows.map((r) => r.trigger)).toEqual(['schedule', 'retry', 'retry']);
      expect(rows[0].error_message).toContain('HTTP 500');
      expect(failing.forJob(jobId).map((r) => r.headers['x-attempt'])).toEqual(['1', '2', '3']);
      const gap = rows[1].started_at.getTime() - rows[0].completed_at!.getTime();
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(await jobRow(sql, jobId)).toMatchObject({ total_runs: 3, failed_runs: 3 });
    } finally {
      await failing.stop();
    }
  });

  it('records a target slower than timeoutMs as timeout', async () => {
    const slow = new HttpTargetServer({ delayMs: 5000 });
    await slow.start();
    try {
      const jobId = await insertJobRow(sql, {
        jobType: 'immediate',
        timeoutMs: 1000,
        target: { type: 'http', url: slow.url('/slow') },
      });
      const [row] = await waitFor('the timeout', async () => {
        const rows = await executionsOf(sql, jobId);
        return rows.length === 1 && rows[0].status !== 'running' ? rows : undefined;
      });
      expect(row.status).toBe('timeout');
      expect(row.error_message).toMatch(/timed out/);
      expect(row.duration_ms).toBeGreaterThanOrEqual(900);
      expect(row.duration_ms).toBeLessThan(4000);
    } finally {
      await slow.stop();
    }
  });

  it('stops firing within 2 s of a raw SQL UPDATE jobs SET is_active=false', async () => {
    const jobId = await insertJobRow(sql, {
      cronExpression: '* * * * * *',
      concurrencyPolicy: 'allow',
      target: { type: 'http', url: target.url('/deact') },
    });
    await waitFor('two deliveries', () => target.forJob(jobId).length >= 2, 6000);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
    const cutoff = Date.now() + 2000;
    await sleep(3500);
    const late = target.forJob(jobId).filter((r) => r.receivedAt.getTime() > cutoff);
    expect(late).toEqual([]);
    expect(port.isScheduled(jobId)).toBe(false);
    expect((await jobRow(sql, jobId))?.next_run_at).toBeNull();

    // Re-activated by hand: back on schedule from now, without replaying the inactive time.
    const reactivatedAt = Date.now();
    await sql.query(`UPDATE jobs SET is_active = true WHERE id = $1`, [jobId]);
    await waitFor('a delivery after re-activation', () =>
      target.forJob(jobId).some((r) => r.receivedAt.getTime() > reactivatedAt),
    );
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
    const slots = target
      .forJob(jobId)
      .filter((r) => r.receivedAt.getTime() > reactivatedAt)
      .map((r) => new Date(String(r.headers['x-scheduled-for'])).getTime());
    expect(Math.min(...slots)).toBeGreaterThan(reactivatedAt - 1000);
  });

  it('applies a cron change made in SQL at the next slot', async () => {
    const jobId = await insertJobRow(sql, {
      cronExpression: '0 0 1 1 *',
      target: { type: 'http', url: target.url('/cron-change') },
    });
    await waitFor('armed', () => port.isScheduled(jobId));
    await sleep(1500);
    expect(target.forJob(jobId)).toHaveLength(0);
    await sql.query(`UPDATE jobs SET cron_expression = '* * * * * *' WHERE id = $1`, [jobId]);
    await waitFor('a delivery on the new schedule', () => target.forJob(jobId).length >= 1, 4000);
    const job = await jobRow(sql, jobId);
    expect((job?.next_run_at as Date).getTime() - Date.now()).toBeLessThan(2000);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
  });

  it('runs a manual trigger through the dispatch, and refuses a second one under forbid', async () => {
    const slow = new HttpTargetServer({ delayMs: 1500 });
    await slow.start();
    try {
      const jobId = await insertJobRow(sql, {
        cronExpression: '0 0 1 1 *',
        target: { type: 'http', url: slow.url('/manual') },
      });
      const result = await port.triggerNow(jobId);
      expect(result).toMatchObject({ jobId, executionId: expect.any(String) });
      await expect(port.triggerNow(jobId)).rejects.toMatchObject({ code: 'JOB_RUNNING' });
      await expect(port.triggerNow('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'JOB_NOT_FOUND',
      });
      const [row] = await waitFor('completion', async () => {
        const rows = await executionsOf(sql, jobId);
        return rows[0]?.status === 'completed' ? rows : undefined;
      });
      expect(row).toMatchObject({ id: result.executionId, trigger: 'manual', replica_id: 'solo' });
      expect(slow.forJob(jobId)[0].headers['x-execution-id']).toBe(result.executionId);
    } finally {
      await slow.stop();
    }
  });

  it('stores an outcome whose response body holds NUL characters (PostgreSQL rejects them)', async () => {
    const odd = await new HttpTargetServer({ status: 500, body: 'bad\u0000body' }).start();
    try {
      const jobId = await insertJobRow(sql, {
        jobType: 'immediate',
        target: { type: 'http', url: odd.url('/nul') },
      });
      const [row] = await waitFor('the failed run', async () => {
        const rows = await executionsOf(sql, jobId);
        return rows[0]?.status === 'failed' ? rows : undefined;
      });
      expect(row.output).toMatchObject({ status: 500, body: 'badbody' });
    } finally {
      await odd.stop();
    }
  });

  it('refuses a cloud metadata target and fails the run with the reason', async () => {
    const jobId = await insertJobRow(sql, {
      jobType: 'immediate',
      target: { type: 'http', url: 'http://169.254.169.254/latest/meta-data/' },
    });
    const [row] = await waitFor('the failed run', async () => {
      const rows = await executionsOf(sql, jobId);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(row.error_message).toMatch(/metadata/);
  });

  it('fails a run whose handler is unknown, and runs the built-in log handler', async () => {
    const bad = await insertJobRow(sql, {
      jobType: 'immediate',
      target: { type: 'handler', name: 'nope' },
    });
    const good = await insertJobRow(sql, { jobType: 'immediate', payload: { a: 1 } });
    const [badRow] = await waitFor('bad run', async () => {
      const rows = await executionsOf(sql, bad);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(badRow.error_message).toMatch(/no job handler named "nope"/);
    const [goodRow] = await waitFor('good run', async () => {
      const rows = await executionsOf(sql, good);
      return rows[0]?.status === 'completed' ? rows : undefined;
    });
    expect(goodRow.output).toEqual({ result: { logged: true } });
  });
});
