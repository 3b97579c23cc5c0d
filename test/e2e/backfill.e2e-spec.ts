import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { adminApi } from '../support/auth.js';
import { HttpTargetServer, type ReceivedRequest } from '../support/http-target.js';
import { executionsOf, ignorePoolError, sleep, waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(120000);

const HOUR = 3_600_000;
const scheduledFor = (r: ReceivedRequest): string => String(r.headers['x-scheduled-for']);

/** Five past hourly slots: [from, to] with both ends on the hour. */
function fiveHours(): { from: string; to: string; slots: string[] } {
  const last = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const slots = [4, 3, 2, 1, 0].map((k) => new Date(last - k * HOUR).toISOString());
  return { from: slots[0], to: slots[4], slots };
}
const body = (r: { from: string; to: string }): { from: string; to: string } => ({
  from: r.from,
  to: r.to,
});

describe('backfill (real runs, real receiver)', () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  const apps: TestApp[] = [];
  let target: HttpTargetServer;

  const replica = async (id: string): Promise<TestApp> => {
    const app = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: id } });
    apps.push(app);
    return app;
  };
  const close = async (app: TestApp): Promise<void> => {
    await app.close();
    apps.splice(apps.indexOf(app), 1);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    target = await new HttpTargetServer().start();
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
  });

  // A failed test must not leave its replicas running into the next one.
  afterEach(async () => {
    for (const a of apps.splice(0)) {
      await a.close();
    }
  });

  afterAll(async () => {
    await sql?.end();
    await target?.stop();
    await db?.drop();
  });

  /** An hourly job (inactive, so no scheduled run mixes in: a backfill runs whatever the state). */
  async function hourlyJob(
    api: Awaited<ReturnType<typeof adminApi>>,
    name: string,
  ): Promise<string> {
    const res = await api()
      .post('/api/jobs')
      .send({
        name,
        cronExpression: '0 * * * *',
        timezone: 'UTC',
        isActive: false,
        maxRetries: 0,
        target: { type: 'http', url: target.url(`/${name}`) },
      })
      .expect(201);
    return res.body.data.id as string;
  }

  const backfillRows = async (jobId: string): Promise<number> =>
    (await sql.query(`SELECT count(*)::int AS n FROM job_backfills WHERE job_id = $1`, [jobId]))
      .rows[0].n as number;

  it('runs 5 hourly slots once each across two replicas, one after another', async () => {
    const r1 = await replica('b1');
    await replica('b2'); // a second replica racing for every slot
    target.options = { delayMs: 150 };
    const api = await adminApi(r1.app);
    const jobId = await hourlyJob(api, 'five-hours');
    const range = fiveHours();
    const res = await api().post(`/api/jobs/${jobId}/backfill`).send(body(range)).expect(202);
    expect(res.body.data.slots).toEqual(range.slots);
    const { backfillId } = res.body.data;

    await waitFor('5 backfill runs', () => target.forJob(jobId).length >= 5, 20000);
    await sleep(2000);
    const calls = target.forJob(jobId);
    expect(calls.map(scheduledFor)).toEqual(range.slots);
    // One after another: each call started after the previous one was answered.
    for (let i = 1; i < calls.length; i++) {
      expect(
        calls[i].receivedAt.getTime() - calls[i - 1].receivedAt.getTime(),
      ).toBeGreaterThanOrEqual(140);
    }
    const keys = new Set(calls.map((c) => String(c.headers['idempotency-key'])));
    expect(keys.size).toBe(5);
    expect([...keys].every((k) => k.startsWith(`${jobId}:backfill:${backfillId}:`))).toBe(true);

    const rows = await executionsOf(sql, jobId);
    expect(rows.map((r) => [r.trigger, r.status, r.scheduled_for?.toISOString()])).toEqual(
      range.slots.map((s) => ['backfill', 'completed', s]),
    );
    const progress = await api().get(`/api/jobs/${jobId}/backfills/${backfillId}`).expect(200);
    expect(progress.body.data).toMatchObject({
      backfillId,
      jobId,
      status: 'completed',
      total: 5,
      started: 5,
      remaining: 0,
      currentSlot: range.slots[4],
      runs: { completed: 5, failed: 0, running: 0 },
    });
    const list = await api().get(`/api/jobs/${jobId}/backfills`).expect(200);
    expect(list.body.data.backfills.map((b: { backfillId: string }) => b.backfillId)).toEqual([
      backfillId,
    ]);
  });

  it('cancel stops starting slots; the run in progress finishes', async () => {
    const r1 = await replica('c1');
    target.options = { delayMs: 1000 };
    const api = await adminApi(r1.app);
    const jobId = await hourlyJob(api, 'cancelled');
    const res = await api().post(`/api/jobs/${jobId}/backfill`).send(body(fiveHours())).expect(202);
    const { backfillId } = res.body.data;
    await waitFor('the first backfill run', () => target.forJob(jobId).length >= 1, 10000, 20);
    const cancelled = await api()
      .post(`/api/jobs/${jobId}/backfills/${backfillId}/cancel`)
      .expect(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    await sleep(3500);
    const calls = target.forJob(jobId).length;
    expect(calls).toBeLessThanOrEqual(2);
    const rows = await executionsOf(sql, jobId);
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
    await api().post(`/api/jobs/${jobId}/backfills/${backfillId}/cancel`).expect(409);
    const progress = await api().get(`/api/jobs/${jobId}/backfills/${backfillId}`).expect(200);
    expect(progress.body.data).toMatchObject({ status: 'cancelled', started: calls });
  });

  it('a restart mid-backfill resumes at the next slot, each slot still once', async () => {
    let r1 = await replica('s1');
    target.options = { delayMs: 600 };
    let api = await adminApi(r1.app);
    const jobId = await hourlyJob(api, 'restarted');
    const range = fiveHours();
    const res = await api().post(`/api/jobs/${jobId}/backfill`).send(body(range)).expect(202);
    const { backfillId } = res.body.data;
    await waitFor('two backfill runs', () => target.forJob(jobId).length >= 2, 10000, 20);
    await close(r1); // graceful: the run in progress finishes
    const beforeRestart = target.forJob(jobId).length;
    expect(beforeRestart).toBeLessThan(5);
    await sleep(1500);
    expect(target.forJob(jobId)).toHaveLength(beforeRestart);

    r1 = await replica('s2');
    api = await adminApi(r1.app);
    await waitFor('the remaining slots', () => target.forJob(jobId).length >= 5, 20000);
    await sleep(1500);
    expect(target.forJob(jobId).map(scheduledFor)).toEqual(range.slots);
    const progress = await api().get(`/api/jobs/${jobId}/backfills/${backfillId}`).expect(200);
    expect(progress.body.data).toMatchObject({ status: 'completed', started: 5 });
  });

  describe('without running anything', () => {
    let t: TestApp;
    let api: Awaited<ReturnType<typeof adminApi>>;
    let jobId: string;
    let everySecond: string;

    beforeAll(async () => {
      t = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'd1' } });
      api = await adminApi(t.app);
      jobId = await hourlyJob(api, 'dry');
      everySecond = (
        await api()
          .post('/api/jobs')
          .send({ name: 'dense', cronExpression: '* * * * * *', isActive: false })
          .expect(201)
      ).body.data.id;
    });

    afterAll(async () => {
      await t?.close();
    });

    it('dryRun answers the slots and stores nothing', async () => {
      const range = fiveHours();
      const res = await api()
        .post(`/api/jobs/${jobId}/backfill`)
        .send({ from: range.from, to: range.to, dryRun: true })
        .expect(200);
      expect(res.body.data).toEqual({ backfillId: null, slots: range.slots, dryRun: true });
      await sleep(1500);
      expect(await backfillRows(jobId)).toBe(0);
      expect(await executionsOf(sql, jobId)).toEqual([]);
      expect(target.forJob(jobId)).toEqual([]);
    });

    const past = (h: number): string => new Date(Date.now() - h * HOUR).toISOString();
    /** Seconds after an hour mark two hours back: no hourly slot lies between two of them. */
    const between = (s: number): string =>
      new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + s * 1000).toISOString();
    it.each([
      ['missing from', () => ({ to: past(1) }), 'from'],
      ['from not ISO', () => ({ from: 'yesterday', to: past(1) }), 'from'],
      ['to not ISO', () => ({ from: past(5), to: 1700000000 }), 'to'],
      ['from after to', () => ({ from: past(1), to: past(5) }), 'to'],
      ['from equal to to', () => ({ from: past(1), to: past(1) }), 'to'],
      [
        'to in the future',
        () => ({ from: past(5), to: new Date(Date.now() + HOUR).toISOString() }),
        'to',
      ],
      ['no slot in the range', () => ({ from: between(60), to: between(120) }), 'from'],
      ['dryRun not a boolean', () => ({ from: past(5), to: past(1), dryRun: 'yes' }), 'dryRun'],
      ['an unknown property', () => ({ from: past(5), to: past(1), slots: 3 }), 'slots'],
    ])('rejects %s with a 400 naming the field, storing nothing', async (_r, body, field) => {
      const res = await api().post(`/api/jobs/${jobId}/backfill`).send(body()).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await backfillRows(jobId)).toBe(0);
    });

    it('rejects a range of more than 1000 slots', async () => {
      const res = await api()
        .post(`/api/jobs/${everySecond}/backfill`)
        .send({ from: past(2), to: past(1) })
        .expect(400);
      expect(res.body.details[0]).toMatchObject({ field: 'to' });
      expect(res.body.details[0].message).toContain('1000');
      expect(await backfillRows(everySecond)).toBe(0);
      // 1000 slots exactly is accepted (as a dry run).
      const to = Math.floor(Date.now() / 1000) * 1000 - 10_000;
      const ok = await api()
        .post(`/api/jobs/${everySecond}/backfill`)
        .send({
          from: new Date(to - 999_000).toISOString(),
          to: new Date(to).toISOString(),
          dryRun: true,
        })
        .expect(200);
      expect(ok.body.data.slots).toHaveLength(1000);
    });

    it('answers 404 for an unknown job or backfill and 400 for a non-UUID', async () => {
      const unknown = '00000000-0000-4000-8000-0000000000ff';
      await api().post(`/api/jobs/${unknown}/backfill`).send(body(fiveHours())).expect(404);
      await api().get(`/api/jobs/${jobId}/backfills/${unknown}`).expect(404);
      await api().post(`/api/jobs/${jobId}/backfills/${unknown}/cancel`).expect(404);
      await api().get(`/api/jobs/${jobId}/backfills/nope`).expect(400);
      await api().get(`/api/jobs/${unknown}/backfills`).expect(404);
    });
  });
});
