import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { Server } from 'node:http';
import { adminApi, appWithAdmin, type AdminApi } from '../support/auth.js';
import { scrapeMetrics } from '../support/metrics-scrape.js';
import { HttpTargetServer } from '../support/http-target.js';
import {
  executionsOf,
  ignorePoolError,
  jobRow,
  sleep,
  waitFor,
} from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(120000);

const future = (ms: number): string => new Date(Date.now() + ms).toISOString();

describe('Schedule controls through the API', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  const base = { name: 'c', cronExpression: '0 * * * *', timezone: 'UTC' };
  const count = async (): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM jobs'))[0].n as number;

  it('refuses an invalid value of every new field with a 400 for that field, writing nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startAt: 'soon' }, 'startAt'],
      [{ startAt: 42 }, 'startAt'],
      [{ endAt: '2030-13-01T00:00:00Z' }, 'endAt'],
      [{ endAt: '2020-01-01T00:00:00Z' }, 'endAt'],
      [{ startAt: '2031-01-01T00:00:00Z', endAt: '2030-01-01T00:00:00Z' }, 'endAt'],
      [{ startAt: '2031-01-01T00:00:00Z', endAt: '2031-01-01T00:00:00Z' }, 'endAt'],
      [{ cronExpression: '0 0 1 1 *', endAt: future(3600_000) }, 'endAt'],
      [{ jitterMs: -1 }, 'jitterMs'],
      [{ jitterMs: 3_600_001 }, 'jitterMs'],
      [{ jitterMs: 1.5 }, 'jitterMs'],
      [{ jitterMs: null }, 'jitterMs'],
      [{ maxRuns: 0 }, 'maxRuns'],
      [{ maxRuns: 'three' }, 'maxRuns'],
      [{ maxRuns: 2.5 }, 'maxRuns'],
      [{ remainingRuns: 3 }, 'remainingRuns'],
      [{ pausedAt: future(1000) }, 'pausedAt'],
      [{ concurrencyPolicy: 'queue_two' }, 'concurrencyPolicy'],
      [
        {
          jobType: 'delayed',
          cronExpression: undefined,
          runAt: future(3600_000),
          endAt: future(1800_000),
        },
        'runAt',
      ],
    ];
    const before = await count();
    for (const [over, field] of cases) {
      for (const path of ['/api/jobs', '/api/jobs/preview']) {
        const res = await api()
          .post(path)
          .send({ ...base, ...over });
        expect({ path, over, status: res.status }).toEqual({ path, over, status: 400 });
        const fields = new Set((res.body.details as { field: string }[]).map((d) => d.field));
        expect({ over, fields: [...fields] }).toEqual({ over, fields: [field] });
      }
    }
    expect(await count()).toBe(before);

    // An update with a bad value changes nothing either.
    const created = await api()
      .post('/api/jobs')
      .send({ ...base, maxRuns: 5, jitterMs: 1000 })
      .expect(201);
    const id = created.body.data.id as string;
    const row = async (): Promise<unknown> =>
      (await t.dataSource.query('SELECT * FROM jobs WHERE id = $1', [id]))[0];
    const stored = await row();
    for (const [body, field] of [
      [{ maxRuns: 0 }, 'maxRuns'],
      [{ jitterMs: 4_000_000 }, 'jitterMs'],
      [{ endAt: '2020-01-01T00:00:00Z' }, 'endAt'],
      [{ startAt: future(7200_000), endAt: future(3600_000) }, 'endAt'],
    ] as const) {
      const res = await api().put(`/api/jobs/${id}`).send(body).expect(400);
      expect(res.body.details[0].field).toBe(field);
    }
    expect(await row()).toEqual(stored);
  });

  it('stores the controls, reports remainingRuns, and renews it when maxRuns is set', async () => {
    const startAt = future(7200_000);
    const res = await api()
      .post('/api/jobs')
      .send({ ...base, startAt, jitterMs: 30_000, maxRuns: 4, concurrencyPolicy: 'queue_one' })
      .expect(201);
    const job = res.body.data;
    expect(job).toMatchObject({
      startAt,
      endAt: null,
      jitterMs: 30_000,
      maxRuns: 4,
      remainingRuns: 4,
      concurrencyPolicy: 'queue_one',
    });
    // The first slot is the first whole hour at or after startAt, plus its jitter.
    const preview = await api().get(`/api/jobs/${job.id}/preview?count=2`).expect(200);
    expect(job.nextRunAt).toBe(preview.body.data.slots[0].at);
    const nominal = Date.parse(preview.body.data.slots[0].nominal ?? preview.body.data.slots[0].at);
    expect(nominal).toBeGreaterThanOrEqual(Date.parse(startAt));
    expect(nominal - Date.parse(startAt)).toBeLessThan(3600_000);
    await t.dataSource.query('UPDATE jobs SET remaining_runs = 1 WHERE id = $1', [job.id]);
    const renewed = await api().put(`/api/jobs/${job.id}`).send({ maxRuns: 7 }).expect(200);
    expect(renewed.body.data).toMatchObject({ maxRuns: 7, remainingRuns: 7 });
    const cleared = await api().put(`/api/jobs/${job.id}`).send({ maxRuns: null }).expect(200);
    expect(cleared.body.data).toMatchObject({ maxRuns: null, remainingRuns: null });
  });

  it('previews a create body without writing, with the cron in words and skipped slots', async () => {
    const before = await count();
    const startAt = '2030-01-01T00:30:00.000Z';
    const res = await api()
      .post('/api/jobs/preview?count=3&includeSkipped=true')
      .send({ ...base, cronExpression: '0 9 * * 1-5', timezone: 'Europe/Paris', startAt })
      .expect(200);
    expect(await count()).toBe(before);
    const data = res.body.data;
    expect(data.jobId).toBeNull();
    expect(data.description).toMatch(/^At 09:00, Monday through Friday, Europe\/Paris time; from/);
    const fires = data.slots.filter((s: { skipped?: string }) => !s.skipped);
    expect(fires.map((s: { local: string }) => s.local)).toEqual([
      '2030-01-01T09:00:00.000+01:00',
      '2030-01-02T09:00:00.000+01:00',
      '2030-01-03T09:00:00.000+01:00',
    ]);
    const skipped = data.slots.filter((s: { skipped?: string }) => s.skipped);
    expect(skipped).toHaveLength(3);
    expect(skipped.every((s: { skipped: string; at: string }) => s.skipped === 'window')).toBe(
      true,
    );
    await api().post('/api/jobs/preview?includeSkipped=maybe').send(base).expect(400);
  });

  it('lists paused slots as skipped and the first slot after the pause', async () => {
    const created = await api()
      .post('/api/jobs')
      .send({ ...base, cronExpression: '*/10 * * * *' })
      .expect(201);
    const id = created.body.data.id as string;
    const until = new Date(Math.ceil(Date.now() / 600_000) * 600_000 + 1800_000);
    await api()
      .post(`/api/jobs/${id}/pause`)
      .send({ until: until.toISOString(), note: 'window' })
      .expect(200);
    const res = await api().get(`/api/jobs/${id}/preview?count=2&includeSkipped=true`).expect(200);
    const slots = res.body.data.slots as { at: string; skipped?: string }[];
    expect(slots.map((s) => s.skipped ?? 'fires')).toEqual(['pause', 'pause', 'fires', 'fires']);
    expect(Date.parse(slots[2].at)).toBe(until.getTime() + 600_000);
    expect(res.body.data.description).toContain('paused until');
    const plain = await api().get(`/api/jobs/${id}/preview?count=2`).expect(200);
    expect(plain.body.data.slots.map((s: { at: string }) => s.at)).toEqual(
      slots.slice(2).map((s) => s.at),
    );
  });
});

describe('Schedule controls with real firings', () => {
  let db: TestDatabase;
  const target = new HttpTargetServer();
  let sql: pg.Pool;
  let replicas: TestApp[] = [];
  let api: Awaited<ReturnType<typeof adminApi>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await target.start();
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
    replicas = [
      await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'c1' } }),
      await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'c2' } }),
    ];
    api = await adminApi(replicas[0].app);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await sql.end();
    await target.stop();
    await db.drop();
  });

  const create = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const res = await api()
      .post('/api/jobs')
      .send({
        name: path,
        cronExpression: '* * * * * *',
        timezone: 'UTC',
        maxRetries: 0,
        target: { type: 'http', url: target.url(path) },
        ...body,
      })
      .expect(201);
    return res.body.data.id as string;
  };

  it('fires a maxRuns 3 job exactly 3 times across 2 replicas; a manual run does not count', async () => {
    const id = await create('/limited', { maxRuns: 3, concurrencyPolicy: 'allow' });
    await api().post(`/api/jobs/${id}/trigger`).expect(202);
    await waitFor('the job to run out', async () => !(await jobRow(sql, id))?.is_active, 20000);
    await sleep(2500);
    const runs = await executionsOf(sql, id);
    expect(runs.filter((r) => r.trigger === 'schedule')).toHaveLength(3);
    expect(runs.filter((r) => r.trigger === 'manual')).toHaveLength(1);
    const scheduled = target
      .forJob(id)
      .filter((r) => !String(r.headers['idempotency-key']).includes(':manual:'));
    expect(scheduled).toHaveLength(3);
    const job = (await api().get(`/api/jobs/${id}`).expect(200)).body.data.job;
    expect(job).toMatchObject({ isActive: false, nextRunAt: null, remainingRuns: 0, maxRuns: 3 });
  });

  it('stops a job at endAt 3 s ahead and sets it inactive', async () => {
    const endAt = new Date(Date.now() + 3000);
    const id = await create('/ending', { endAt: endAt.toISOString(), concurrencyPolicy: 'allow' });
    await waitFor('the job to end', async () => !(await jobRow(sql, id))?.is_active, 15000);
    await sleep(2000);
    const slots = target.forJob(id).map((r) => Date.parse(String(r.headers['x-scheduled-for'])));
    expect(slots.length).toBeGreaterThanOrEqual(2);
    expect(slots.every((s) => s <= endAt.getTime())).toBe(true);
    expect(new Set(slots).size).toBe(slots.length);
    const job = (await api().get(`/api/jobs/${id}`).expect(200)).body.data.job;
    expect(job).toMatchObject({ isActive: false, nextRunAt: null });
  });

  it('fires each slot at its previewed jitter, with the nominal X-Scheduled-For', async () => {
    const id = await create('/jitter', {
      cronExpression: '*/2 * * * * *',
      jitterMs: 1500,
      concurrencyPolicy: 'allow',
    });
    const preview = await api().get(`/api/jobs/${id}/preview?count=4`).expect(200);
    const planned = (preview.body.data.slots as { at: string; nominal?: string }[]).map((s) => ({
      at: Date.parse(s.at),
      nominal: Date.parse(s.nominal ?? s.at),
    }));
    for (const p of planned) {
      expect(p.at - p.nominal).toBeGreaterThanOrEqual(0);
      expect(p.at - p.nominal).toBeLessThan(1500);
    }
    expect(planned.some((p) => p.at !== p.nominal)).toBe(true);
    const last = planned[planned.length - 1];
    await waitFor(
      'the previewed slots',
      () =>
        target
          .forJob(id)
          .some((r) => Date.parse(String(r.headers['x-scheduled-for'])) >= last.nominal),
      20000,
    );
    await api().put(`/api/jobs/${id}`).send({ isActive: false }).expect(200);
    const rows = await executionsOf(sql, id);
    for (const p of planned) {
      const got = target
        .forJob(id)
        .filter((r) => Date.parse(String(r.headers['x-scheduled-for'])) === p.nominal);
      expect(got).toHaveLength(1);
      const lag = got[0].receivedAt.getTime() - p.at;
      expect(lag).toBeGreaterThanOrEqual(-20);
      expect(lag).toBeLessThan(1500);
      const row = rows.find((r) => r.scheduled_for?.getTime() === p.nominal);
      expect(row).toBeDefined();
      expect(row!.started_at.getTime() - p.at).toBeGreaterThanOrEqual(-20);
    }
  });

  it('queue_one runs the waiting slot right after a slow run ends, never two at once', async () => {
    target.options = { delayMs: (r) => (r.path === '/queued' ? 2200 : 0) };
    const id = await create('/queued', { concurrencyPolicy: 'queue_one', timeoutMs: 10000 });
    await waitFor('four runs', () => target.forJob(id).length >= 4, 30000);
    await api().put(`/api/jobs/${id}`).send({ isActive: false }).expect(200);
    await sleep(3000);
    target.options = {};
    const reqs = target.forJob(id);
    const rows = (await executionsOf(sql, id)).filter((r) => r.status !== 'running');
    // Never two at once: each run starts after the previous one completed.
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].started_at.getTime()).toBeGreaterThanOrEqual(
        rows[i - 1].completed_at!.getTime(),
      );
    }
    // The waiting slot starts right after the slow run ends, and it is the slot that came
    // while the run was in progress (the second of the schedule), not a later one.
    for (let i = 1; i < Math.min(rows.length, 4); i++) {
      const gap = rows[i].started_at.getTime() - rows[i - 1].completed_at!.getTime();
      expect(gap).toBeLessThan(900);
      expect(rows[i].scheduled_for!.getTime()).toBeLessThan(rows[i - 1].completed_at!.getTime());
    }
    const slots = reqs.map((r) => Date.parse(String(r.headers['x-scheduled-for'])));
    expect(slots[1] - slots[0]).toBe(1000);
    const job = await jobRow(sql, id);
    expect(Number(job?.skipped_runs)).toBeGreaterThan(0);
    // Each skipped slot is counted under its reason on the replica that claimed it.
    let queueFull = 0;
    for (const r of replicas) {
      const m = await scrapeMetrics(r.app.getHttpServer() as Server);
      queueFull += m.value('scheduler_skipped_firings_total', { reason: 'queue_full' });
    }
    expect(queueFull).toBe(Number(job?.skipped_runs));
  });
});
