import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { adminApi } from '../support/auth.js';
import { bodyOf, signatureValid } from '../support/alert-receiver.js';
import { HttpTargetServer } from '../support/http-target.js';
import { ignorePoolError, sleep, waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { scrapeMetrics } from '../support/metrics-scrape.js';
import request from 'supertest';
import type { App } from 'supertest/types.js';

jest.setTimeout(60000);

const SECRET = 'alert-channel-secret-0123456789';

interface Api {
  (): ReturnType<Awaited<ReturnType<typeof adminApi>>>;
}

describe('Alerting (one replica, real receivers)', () => {
  let t: TestApp;
  let api: Api;
  let sql: pg.Pool;
  const failing = new HttpTargetServer({ status: 500, body: '{"error":"boom"}' });
  const ok = new HttpTargetServer({ status: 200, body: '{"ok":true,"status":"green"}' });
  const receiver = new HttpTargetServer();
  const slack = new HttpTargetServer({ body: 'ok' });
  let webhookId: string;
  let slackId: string;

  beforeAll(async () => {
    await Promise.all([failing.start(), ok.start(), receiver.start(), slack.start()]);
    t = await createTestApp({
      env: {
        SCHEDULER_ENABLED: 'true',
        REPLICA_ID: 'alerts-solo',
        NOTIFICATION_POLL_MS: '200',
        NOTIFICATION_RETRY_BASE_MS: '200',
        ALERT_WATCH_INTERVAL_MS: '300',
      },
    });
    api = await adminApi(t.app);
    sql = new pg.Pool({ connectionString: t.db.url, max: 2 }).on('error', ignorePoolError);
    const w = await api()
      .post('/api/channels')
      .send({ name: 'ops webhook', type: 'webhook', url: receiver.url('/alerts'), secret: SECRET })
      .expect(201);
    webhookId = w.body.data.id;
    const s = await api()
      .post('/api/channels')
      .send({ name: 'ops slack', type: 'slack', url: slack.url('/services/T0/B0/xyz') })
      .expect(201);
    slackId = s.body.data.id;
  });

  afterAll(async () => {
    await sql.end();
    await t.close();
    await Promise.all([failing.stop(), ok.stop(), receiver.stop(), slack.stop()]);
  });

  const createJob = async (body: Record<string, unknown>): Promise<string> => {
    const res = await api()
      .post('/api/jobs')
      .send({ name: `job-${Math.random()}`, jobType: 'immediate', maxRetries: 0, ...body })
      .expect(201);
    return res.body.data.id as string;
  };

  const finished = (jobId: string, n = 1): Promise<Record<string, unknown>[]> =>
    waitFor(`${n} finished run(s) of ${jobId}`, async () => {
      const res = await api().get(`/api/jobs/${jobId}/executions?limit=100`).expect(200);
      const done = (res.body.data.executions as Record<string, unknown>[]).filter(
        (e) => e.status !== 'running',
      );
      return done.length >= n ? done : null;
    });

  it('never shows a channel secret, and lists channels', async () => {
    const res = await api().get(`/api/channels/${webhookId}`).expect(200);
    expect(res.body.data).toMatchObject({ type: 'webhook', hasSecret: true });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const slackRes = await api().get(`/api/channels/${slackId}`).expect(200);
    expect(slackRes.body.data.url).not.toContain('xyz');
    const list = await api().get('/api/channels').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect((list.body.data.channels as unknown[]).length).toBe(2);
  });

  it('sends one signed job.failed for a final failure, to webhook and slack', async () => {
    const jobId = await createJob({
      target: { type: 'http', url: failing.url('/fail') },
      alerts: { channels: [webhookId, slackId] },
    });
    const hooks = await waitFor('the webhook delivery', () => {
      const got = receiver.requests.filter((r) => bodyOf(r).job?.id === jobId);
      return got.length > 0 ? got : null;
    });
    await waitFor('the slack delivery', () => slack.requests.length > 0);
    await sleep(800); // nothing more may arrive
    const again = receiver.requests.filter((r) => bodyOf(r).job?.id === jobId);
    expect(again).toHaveLength(1);
    const [hook] = hooks;
    expect(signatureValid(hook, SECRET)).toBe(true);
    expect(signatureValid(hook, 'another-secret-entirely-000')).toBe(false);
    const body = bodyOf(hook);
    expect(body.event).toBe('job.failed');
    expect(hook.headers['x-notification-id']).toBe(body.id);
    expect(body.execution).toMatchObject({ status: 'failed', httpStatus: 500 });
    expect(body.execution?.errorMessage).toContain('HTTP 500 from target');

    // Slack's incoming-webhook shape: text plus mrkdwn blocks, unsigned.
    const msg = JSON.parse(slack.requests[0].body) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(msg.text).toMatch(/^:x: Job \*job-.*\* failed .*HTTP 500/);
    expect(msg.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: msg.text } });
    expect(slack.requests[0].headers['x-signature']).toBeUndefined();

    const list = await api().get(`/api/notifications?job=${jobId}`).expect(200);
    const rows = list.body.data.notifications as Record<string, unknown>[];
    expect(rows.map((r) => [r.event, r.status, r.attempts]).sort()).toEqual([
      ['job.failed', 'delivered', 1],
      ['job.failed', 'delivered', 1],
    ]);
    const bySlack = await api().get(`/api/notifications?channel=${slackId}&event=job.failed`);
    expect(bySlack.body.data.notifications).toHaveLength(1);

    // The dead letter, its status and body, and the job's figures.
    const dead = await api().get(`/api/executions?jobId=${jobId}&status=failed&final=true`);
    expect(dead.body.data.executions).toHaveLength(1);
    expect(dead.body.data.executions[0]).toMatchObject({ final: true, httpStatus: 500 });
    expect(dead.body.data.executions[0].output).toMatchObject({
      status: 500,
      body: '{"error":"boom"}',
    });
    const job = await api().get(`/api/jobs/${jobId}`).expect(200);
    expect(job.body.data.job.statistics).toMatchObject({
      consecutiveFailures: 1,
      lastSuccessAt: null,
      failedRuns: 1,
    });
    expect(job.body.data.job.statistics.lastFailureAt).not.toBeNull();
  });

  it('counts successStatus and expectBody mismatches as failures with a clear message', async () => {
    const cases: [Record<string, unknown>, string, RegExp | null][] = [
      [{ expectBody: 'healthy' }, 'failed', /response body does not contain "healthy"/],
      [{ successStatus: [201] }, 'failed', /HTTP 200 from target \(expected 201\)/],
      [{ expectBody: '/"status":\\s*"GREEN"/i' }, 'completed', null],
      [{ successStatus: ['2xx'], expectBody: '"ok":true' }, 'completed', null],
      [{ expectBody: '/(a+)+$/' }, 'failed', /does not match \/\(a\+\)\+\$\//],
    ];
    const ids = await Promise.all(
      cases.map(([criteria]) =>
        createJob({ target: { type: 'http', url: ok.url('/ok'), ...criteria } }),
      ),
    );
    for (const [i, [, status, message]] of cases.entries()) {
      const [run] = await finished(ids[i]);
      expect({ i, status: run.status, httpStatus: run.httpStatus }).toEqual({
        i,
        status,
        httpStatus: 200,
      });
      if (message) {
        expect(run.errorMessage).toMatch(message);
        expect(run.final).toBe(true);
      } else {
        expect(run.errorMessage).toBeNull();
      }
    }
  });

  it('treats a listed 3xx as success without following the redirect', async () => {
    const redirect = await new HttpTargetServer({ status: 302 }).start();
    try {
      const jobId = await createJob({
        target: { type: 'http', url: redirect.url('/r'), successStatus: ['2xx', 302] },
      });
      const [run] = await finished(jobId);
      expect(run).toMatchObject({ status: 'completed', httpStatus: 302 });
    } finally {
      await redirect.stop();
    }
  });

  it('sends job.recovered on the first success after failures and resets the figures', async () => {
    const flaky = await new HttpTargetServer({ status: 500 }).start();
    try {
      const jobId = await createJob({
        target: { type: 'http', url: flaky.url('/flaky') },
        alerts: { channels: [webhookId], onFailure: false },
      });
      await finished(jobId);
      flaky.options.status = 200;
      await api().post(`/api/jobs/${jobId}/trigger`).expect(202);
      await finished(jobId, 2);
      const recovered = await waitFor('job.recovered', () =>
        receiver.requests.find(
          (r) => bodyOf(r).job?.id === jobId && bodyOf(r).event === 'job.recovered',
        ),
      );
      expect(signatureValid(recovered, SECRET)).toBe(true);
      // onFailure false: the failure itself was not sent.
      expect(receiver.requests.filter((r) => bodyOf(r).job?.id === jobId)).toHaveLength(1);
      const job = await api().get(`/api/jobs/${jobId}`).expect(200);
      const stats = job.body.data.job.statistics;
      expect(stats.consecutiveFailures).toBe(0);
      expect(stats.lastSuccessAt).not.toBeNull();
      expect(stats.durationMsP50).toEqual(expect.any(Number));
      expect(stats.durationMsP95).toBeGreaterThanOrEqual(stats.durationMsP50);
    } finally {
      await flaky.stop();
    }
  });

  it('replays a dead letter once, linked back; a second replay is a 409', async () => {
    const jobId = await createJob({ target: { type: 'http', url: failing.url('/replay') } });
    const [original] = await finished(jobId);
    expect(original.final).toBe(true);
    const res = await api()
      .post(`/api/executions/${String(original.id)}/replay`)
      .expect(202);
    expect(res.body.data).toMatchObject({ replayOf: original.id, jobId });
    const replayId = res.body.data.executionId as string;
    await finished(jobId, 2);
    const replay = await api().get(`/api/executions/${replayId}`).expect(200);
    expect(replay.body.data).toMatchObject({ trigger: 'replay', replayOf: original.id });
    expect(replay.body.data.scheduledFor).toBe(original.scheduledFor);
    const second = await api()
      .post(`/api/executions/${String(original.id)}/replay`)
      .expect(409);
    expect(second.body.error).toBe('Conflict');
    // The receiver got the original and the replay (a new idempotency key), nothing more.
    const calls = failing.requests.filter((r) => r.path === '/replay');
    expect(calls).toHaveLength(2);
    expect(calls[1].headers['idempotency-key']).toBe(
      `${String(calls[0].headers['idempotency-key'])}:replay`,
    );
  });

  it('lets exactly one of concurrent replays of one execution through', async () => {
    const jobId = await createJob({
      target: { type: 'http', url: failing.url('/race') },
      concurrencyPolicy: 'allow',
    });
    const [original] = await finished(jobId);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => api().post(`/api/executions/${String(original.id)}/replay`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
    await finished(jobId, 2);
    await sleep(300);
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM job_executions WHERE replay_of = $1`,
      [original.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses to replay a run that did not fail for good, and unknown ids', async () => {
    const jobId = await createJob({ target: { type: 'http', url: ok.url('/fine') } });
    const [run] = await finished(jobId);
    await api()
      .post(`/api/executions/${String(run.id)}/replay`)
      .expect(409);
    await api().post('/api/executions/00000000-0000-4000-8000-000000000000/replay').expect(404);
    await api().post('/api/executions/not-a-uuid/replay').expect(400);
  });

  it('delivers a test send; deleting a channel a job names is a 409', async () => {
    const res = await api().post(`/api/channels/${webhookId}/test`).expect(202);
    const id = res.body.data.notificationId as string;
    const got = await waitFor('the test delivery', () =>
      receiver.requests.find((r) => r.headers['x-notification-id'] === id),
    );
    expect(bodyOf(got).event).toBe('channel.test');
    expect(signatureValid(got, SECRET)).toBe(true);
    const one = await waitFor('delivered', async () => {
      const r = await api().get(`/api/notifications/${id}`).expect(200);
      return r.body.data.status === 'delivered' ? r.body.data : null;
    });
    expect(one.attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, httpStatus: 200, error: null }),
    ]);
    const del = await api().delete(`/api/channels/${webhookId}`).expect(409);
    expect(del.body.message).toMatch(/used by job/);
    await api().get(`/api/channels/${webhookId}`).expect(200);
  });

  it('answers invalid input with a 400 per field and writes nothing', async () => {
    const counts = async (): Promise<number[]> => {
      const { rows } = await sql.query(
        `SELECT (SELECT count(*) FROM notification_channels)::int AS c,
                (SELECT count(*) FROM jobs)::int AS j`,
      );
      return [rows[0].c, rows[0].j];
    };
    const before = await counts();
    const bad = await api()
      .post('/api/channels')
      .send({ name: '', type: 'email', url: 'http://169.254.169.254/latest', secret: 'short' })
      .expect(400);
    const fields = (bad.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['name', 'secret', 'type', 'url']);
    const unknown = '11111111-1111-4111-8111-111111111111';
    const jobCases: [Record<string, unknown>, string][] = [
      [{ alerts: { channels: [unknown] } }, 'alerts.channels'],
      [{ alerts: { channels: ['nope'] } }, 'alerts.channels'],
      [{ alerts: { channels: [], missedAfterMs: 10 } }, 'alerts.missedAfterMs'],
      [{ alerts: { channels: [], onFailure: 'yes' } }, 'alerts.onFailure'],
      [{ autoPauseAfterFailures: 0 }, 'autoPauseAfterFailures'],
      [{ autoPauseAfterFailures: 101 }, 'autoPauseAfterFailures'],
      [
        { target: { type: 'http', url: ok.url('/x'), successStatus: ['6xx'] } },
        'target.successStatus',
      ],
      [{ target: { type: 'http', url: ok.url('/x'), successStatus: [] } }, 'target.successStatus'],
      [
        { target: { type: 'http', url: ok.url('/x'), expectBody: '/(?<=a)b/' } },
        'target.expectBody',
      ],
      [
        { target: { type: 'http', url: ok.url('/x'), expectBody: 'x'.repeat(201) } },
        'target.expectBody',
      ],
    ];
    for (const [body, field] of jobCases) {
      const res = await api()
        .post('/api/jobs')
        .send({ name: 'bad', cronExpression: '0 0 * * *', ...body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect((res.body.details as { field: string }[]).map((d) => d.field)).toContain(field);
    }
    await api().get('/api/notifications?status=bogus').expect(400);
    await api().get('/api/notifications?event=job.exploded').expect(400);
    await api().get('/api/executions?final=maybe').expect(400);
    await api().put(`/api/channels/${slackId}`).send({ url: 'ftp://x' }).expect(400);
    expect(await counts()).toEqual(before);
    const still = await api().get(`/api/channels/${slackId}`).expect(200);
    expect(still.body.data.url).toBe(new URL(slack.url()).origin + '/***');
  });

  it('counts deliveries by channel type and event in /metrics', async () => {
    const m = await scrapeMetrics(t.app.getHttpServer());
    const sent = (type: string, event: string): number =>
      m.value('scheduler_notifications_sent_total', { channel_type: type, event });
    expect(sent('webhook', 'job.failed')).toBe(
      receiver.requests.filter((r) => bodyOf(r).event === 'job.failed').length,
    );
    expect(sent('slack', 'job.failed')).toBe(slack.requests.length);
    expect(sent('webhook', 'job.recovered')).toBe(1);
    expect(m.value('scheduler_notifications_failed_total')).toBe(0);
    expect(m.value('scheduler_jobs_auto_paused_total')).toBe(0);
  });

  it('documents the alerting routes and fields in the OpenAPI document', async () => {
    const res = await request(t.app.getHttpServer() as App)
      .get('/api-docs-json')
      .expect(200);
    const doc = res.body as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[] }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const routes: [string, string][] = [
      ['get', '/api/channels'],
      ['post', '/api/channels'],
      ['get', '/api/channels/{id}'],
      ['put', '/api/channels/{id}'],
      ['delete', '/api/channels/{id}'],
      ['post', '/api/channels/{id}/test'],
      ['get', '/api/notifications'],
      ['get', '/api/notifications/{id}'],
      ['post', '/api/executions/{id}/replay'],
    ];
    for (const [m, p] of routes) {
      const op = doc.paths[p]?.[m];
      expect({ m, p, summary: Boolean(op?.summary), auth: op?.security }).toEqual({
        m,
        p,
        summary: true,
        auth: expect.arrayContaining([{ bearer: [] }]),
      });
    }
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.CreateJobDto.properties ?? {})).toEqual(
      expect.arrayContaining(['alerts', 'autoPauseAfterFailures']),
    );
    expect(Object.keys(schemas.HttpTargetDto.properties ?? {})).toEqual(
      expect.arrayContaining(['successStatus', 'expectBody']),
    );
    expect(Object.keys(schemas.JobStatisticsDto.properties ?? {})).toEqual(
      expect.arrayContaining(['consecutiveFailures', 'lagMsP99', 'durationMsP95']),
    );
    expect(Object.keys(schemas.ExecutionResponseDto.properties ?? {})).toEqual(
      expect.arrayContaining(['httpStatus', 'final', 'replayOf']),
    );
    expect(schemas.ChannelResponseDto.properties).not.toHaveProperty('secret');
  });

  it('drops settled notifications older than the retention, keeping the rest', async () => {
    const { rows } = await sql.query<{ id: string; status: string }>(
      `INSERT INTO notifications (channel_id, event, payload, status, created_at)
       VALUES ($1, 'channel.test', '{}', 'delivered', now() - interval '40 days'),
              ($1, 'channel.test', '{}', 'failed', now() - interval '40 days'),
              ($1, 'channel.test', '{}', 'delivered', now() - interval '2 days')
       RETURNING id, status`,
      [webhookId],
    );
    await waitFor('the old ones to go', async () => {
      const left = await sql.query(`SELECT id FROM notifications WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
      ]);
      return left.rows.length === 1 ? left.rows : null;
    });
    const kept = await sql.query(`SELECT id FROM notifications WHERE id = $1`, [rows[2].id]);
    expect(kept.rows).toHaveLength(1);
  });
});
