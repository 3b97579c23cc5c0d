import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { adminApi } from '../support/auth.js';
import { bodyOf, signatureValid } from '../support/alert-receiver.js';
import { HttpTargetServer } from '../support/http-target.js';
import {
  executionsOf,
  ignorePoolError,
  insertJobRow,
  sleep,
  waitFor,
} from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { scrapeMetrics } from '../support/metrics-scrape.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(120000);

const SECRET = 'cluster-channel-secret-0123456789';
const FAST = {
  NOTIFICATION_POLL_MS: '200',
  NOTIFICATION_RETRY_BASE_MS: '300',
  ALERT_WATCH_INTERVAL_MS: '300',
};

async function webhookChannel(sql: pg.Pool, url: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO notification_channels (name, type, url, secret) VALUES ('hook', 'webhook', $1, $2)
     RETURNING id`,
    [url, SECRET],
  );
  return rows[0].id;
}

describe('Alerting across restarts and replicas', () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  const failing = new HttpTargetServer({ status: 500 });

  beforeAll(async () => {
    await failing.start();
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
  });

  afterAll(async () => {
    await sql.end();
    await failing.stop();
    await db.drop();
  });

  it('pauses an every-second failing job after exactly 2 final failures and says so', async () => {
    const receiver = await new HttpTargetServer().start();
    const t = await createTestApp({ db, env: { ...FAST, SCHEDULER_ENABLED: 'true' } });
    try {
      const api = await adminApi(t.app);
      const channel = await webhookChannel(sql, receiver.url('/pause'));
      const res = await api()
        .post('/api/jobs')
        .send({
          name: 'flapping',
          jobType: 'recurring',
          intervalMs: 1000,
          maxRetries: 0,
          concurrencyPolicy: 'allow',
          target: { type: 'http', url: failing.url('/pause') },
          autoPauseAfterFailures: 2,
          alerts: { channels: [channel] },
        })
        .expect(201);
      const jobId = res.body.data.id as string;
      const paused = await waitFor('the auto-pause notification', () =>
        receiver.requests.find((r) => bodyOf(r).event === 'job.auto_paused'),
      );
      await sleep(2500); // a paused job fires no more
      const runs = await executionsOf(sql, jobId);
      expect(runs.map((r) => r.status)).toEqual(['failed', 'failed']);
      expect(signatureValid(paused, SECRET)).toBe(true);
      expect(bodyOf(paused).job).toMatchObject({ id: jobId, consecutiveFailures: 2, paused: true });
      const events = receiver.requests.map((r) => bodyOf(r).event).sort();
      expect(events).toEqual(['job.auto_paused', 'job.failed', 'job.failed']);
      const job = (await api().get(`/api/jobs/${jobId}`).expect(200)).body.data.job;
      expect(job).toMatchObject({ isActive: false, nextRunAt: null });
      expect(job.pausedAt).not.toBeNull();
      expect(job.pauseNote).toMatch(/^Auto-paused at .* after 2 consecutive failures/);
      expect(job.statistics.consecutiveFailures).toBe(2);
      const m = await scrapeMetrics(t.app.getHttpServer());
      expect(m.value('scheduler_jobs_auto_paused_total')).toBe(1);

      await api().post(`/api/jobs/${jobId}/resume`).expect(200);
      const resumed = (await api().get(`/api/jobs/${jobId}`).expect(200)).body.data.job;
      expect(resumed).toMatchObject({ isActive: true, pausedAt: null });
      expect(resumed.statistics.consecutiveFailures).toBe(0);
      await api().put(`/api/jobs/${jobId}`).send({ isActive: false }).expect(200);
    } finally {
      await t.close();
      await receiver.stop();
    }
  });

  it('sends job.missed and job.no_success when no replica fires (scheduler disabled)', async () => {
    const receiver = await new HttpTargetServer().start();
    const t = await createTestApp({ db, env: { ...FAST, SCHEDULER_ENABLED: 'false' } });
    try {
      const api = await adminApi(t.app);
      const channel = await webhookChannel(sql, receiver.url('/missed'));
      const res = await api()
        .post('/api/jobs')
        .send({
          name: 'unattended',
          jobType: 'recurring',
          intervalMs: 60000,
          alerts: { channels: [channel], missedAfterMs: 1000, noSuccessWithinMs: 2000 },
        })
        .expect(201);
      const jobId = res.body.data.id as string;
      const nextRunAt = res.body.data.nextRunAt as string;
      // The first slot is 60 s away: nothing is missed yet, and there is no success either.
      const noSuccess = await waitFor('job.no_success', () =>
        receiver.requests.find((r) => bodyOf(r).event === 'job.no_success'),
      );
      expect(bodyOf(noSuccess).job?.id).toBe(jobId);
      expect(receiver.requests.some((r) => bodyOf(r).event === 'job.missed')).toBe(false);
      // Move the slot into the past, as if every replica had been down when it came.
      const slot = new Date(Date.now() - 500);
      await sql.query(`UPDATE jobs SET next_run_at = $2 WHERE id = $1`, [jobId, slot]);
      const missed = await waitFor('job.missed', () =>
        receiver.requests.find((r) => bodyOf(r).event === 'job.missed'),
      );
      expect(new Date(String(bodyOf(missed).slot)).getTime()).toBe(slot.getTime());
      expect(new Date(nextRunAt).getTime()).toBeGreaterThan(slot.getTime());
      await sleep(1500); // several watch passes: each slot and each streak is reported once
      const events = receiver.requests.map((r) => bodyOf(r).event).sort();
      expect(events).toEqual(['job.missed', 'job.no_success']);
      await api().put(`/api/jobs/${jobId}`).send({ isActive: false }).expect(200);
    } finally {
      await t.close();
      await receiver.stop();
    }
  });

  it('retries a receiver answering 500 three times, across a restart, until delivered', async () => {
    let calls = 0;
    const receiver = await new HttpTargetServer({
      status: () => (++calls <= 3 ? 500 : 200),
    }).start();
    const env = { ...FAST, NOTIFICATION_RETRY_BASE_MS: '400', SCHEDULER_ENABLED: 'false' };
    let t = await createTestApp({ db, env });
    try {
      const channel = await webhookChannel(sql, receiver.url('/flaky'));
      const api = await adminApi(t.app);
      const res = await api().post(`/api/channels/${channel}/test`).expect(202);
      const id = res.body.data.notificationId as string;
      await waitFor('two failed attempts', () => receiver.requests.length >= 2);
      await t.close();
      const beforeRestart = receiver.requests.length;
      const { rows } = await sql.query(`SELECT status FROM notifications WHERE id = $1`, [id]);
      expect(rows[0].status).toBe('pending');
      t = await createTestApp({ db, env });
      const api2 = await adminApi(t.app);
      const done = await waitFor('delivered after the restart', async () => {
        const r = await api2().get(`/api/notifications/${id}`).expect(200);
        return r.body.data.status === 'delivered' ? r.body.data : null;
      });
      expect(receiver.requests).toHaveLength(4);
      const m = await scrapeMetrics(t.app.getHttpServer());
      const labels = { channel_type: 'webhook', event: 'channel.test' };
      expect(m.value('scheduler_notifications_failed_total', labels)).toBe(3 - beforeRestart);
      expect(m.value('scheduler_notifications_sent_total', labels)).toBe(1);
      expect(new Set(receiver.requests.map((r) => r.headers['x-notification-id']))).toEqual(
        new Set([id]),
      );
      expect(receiver.requests.map((r) => r.headers['x-attempt'])).toEqual(['1', '2', '3', '4']);
      expect(receiver.requests.every((r) => signatureValid(r, SECRET))).toBe(true);
      expect(done.attempts).toBe(4);
      expect((done.attemptLog as { httpStatus: number }[]).map((a) => a.httpStatus)).toEqual([
        500, 500, 500, 200,
      ]);
      const second = done.attemptLog[1].startedAt as string;
      const first = done.attemptLog[0].startedAt as string;
      expect(Date.parse(second) - Date.parse(first)).toBeGreaterThanOrEqual(350);
    } finally {
      await t.close();
      await receiver.stop();
    }
  });

  it('delivers each event exactly once with 3 replicas', async () => {
    const receiver = await new HttpTargetServer().start();
    const apps: TestApp[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        apps.push(
          await createTestApp({
            db,
            env: {
              ...FAST,
              NOTIFICATION_POLL_MS: '100',
              SCHEDULER_ENABLED: 'true',
              REPLICA_ID: `a${i}`,
            },
          }),
        );
      }
      const channel = await webhookChannel(sql, receiver.url('/cluster'));
      const jobId = await insertJobRow(sql, {
        cronExpression: '* * * * * *',
        concurrencyPolicy: 'allow',
        target: { type: 'http', url: failing.url('/cluster') },
      });
      await sql.query(`UPDATE jobs SET alerts = $2 WHERE id = $1`, [
        jobId,
        JSON.stringify({ channels: [channel] }),
      ]);
      await sleep(5000);
      await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
      const failed = await waitFor('the runs to finish', async () => {
        const runs = await executionsOf(sql, jobId);
        return runs.length > 0 && runs.every((r) => r.status !== 'running') ? runs : null;
      });
      await waitFor('every notification settled', async () => {
        const { rows } = await sql.query(
          `SELECT count(*) FILTER (WHERE status <> 'delivered')::int AS open, count(*)::int AS n
           FROM notifications WHERE job_id = $1`,
          [jobId],
        );
        return rows[0].n > 0 && rows[0].open === 0;
      });
      await sleep(500);
      const ids = receiver.requests.map((r) => String(r.headers['x-notification-id']));
      const executions = receiver.requests.map((r) => bodyOf(r).execution?.id);
      expect(ids.length).toBeGreaterThanOrEqual(3);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(executions).size).toBe(executions.length);
      expect(executions.sort()).toEqual(failed.map((r) => r.id).sort());
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n, count(DISTINCT replica_id)::int AS senders
         FROM notification_attempts a JOIN notifications n ON n.id = a.notification_id
         WHERE n.job_id = $1`,
        [jobId],
      );
      expect(rows[0].n).toBe(ids.length);
      process.stdout.write(`3 replicas: ${ids.length} events, ${rows[0].senders} sender(s)\n`);
    } finally {
      for (const a of apps) {
        await a.close();
      }
      await receiver.stop();
    }
  });

  it('treats a worker-lost run with no retry left as a final failure (alert, streak, auto-pause)', async () => {
    const receiver = await new HttpTargetServer().start();
    const channel = await webhookChannel(sql, receiver.url('/lost'));
    const jobId = await insertJobRow(sql, { cronExpression: '0 0 1 1 *', maxRetries: 0 });
    await sql.query(`UPDATE jobs SET alerts = $2, auto_pause_after_failures = 1 WHERE id = $1`, [
      jobId,
      JSON.stringify({ channels: [channel] }),
    ]);
    // A run left running by a previous process under this replica id (it crashed).
    await sql.query(
      `INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at, replica_id)
       VALUES ($1, 'running', 'schedule', date_trunc('milliseconds', now()),
         date_trunc('milliseconds', now()), 'crashed-replica')`,
      [jobId],
    );
    const t = await createTestApp({
      db,
      env: { ...FAST, SCHEDULER_ENABLED: 'true', REPLICA_ID: 'crashed-replica' },
    });
    try {
      await waitFor('job.failed and job.auto_paused', () => receiver.requests.length >= 2);
      await sleep(500);
      const events = receiver.requests.map((r) => bodyOf(r).event).sort();
      expect(events).toEqual(['job.auto_paused', 'job.failed']);
      const failed = receiver.requests.find((r) => bodyOf(r).event === 'job.failed');
      expect(bodyOf(failed!).execution?.errorMessage).toBe('worker lost');
      const [run] = await executionsOf(sql, jobId);
      expect(run.status).toBe('failed');
      const { rows } = await sql.query(
        `SELECT is_active, paused_at, consecutive_failures, last_failure_at,
           (SELECT final_failure FROM job_executions WHERE job_id = $1) AS final
         FROM jobs WHERE id = $1`,
        [jobId],
      );
      expect(rows[0]).toMatchObject({ is_active: false, consecutive_failures: 1, final: true });
      expect(rows[0].paused_at).not.toBeNull();
    } finally {
      await t.close();
      await receiver.stop();
    }
  });
});
