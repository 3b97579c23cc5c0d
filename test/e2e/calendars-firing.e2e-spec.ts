import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { adminApi } from '../support/auth.js';
import { HttpTargetServer } from '../support/http-target.js';
import { scrapeMetrics } from '../support/metrics-scrape.js';
import { ignorePoolError, jobRow, sleep, waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(90000);

/** Today and tomorrow in UTC: "today" stays excluded even if the test runs across midnight. */
const todayAndTomorrow = (): string[] =>
  [0, 1].map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10));

const scheduledFor = (r: { headers: Record<string, unknown> }): number =>
  Date.parse(String(r.headers['x-scheduled-for']));

describe('calendars in the firing path (real timers, real receiver, two replicas)', () => {
  let db: TestDatabase;
  let r1: TestApp;
  let r2: TestApp;
  let sql: pg.Pool;
  let target: HttpTargetServer;
  let api: Awaited<ReturnType<typeof adminApi>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    target = await new HttpTargetServer().start();
    r1 = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'r1' } });
    r2 = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'r2' } });
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
    api = await adminApi(r1.app);
  });

  afterAll(async () => {
    await sql?.end();
    await r1?.close();
    await r2?.close();
    await target?.stop();
    await db?.drop();
  });

  async function everySecondJob(calendarId: string, name: string): Promise<string> {
    const res = await api()
      .post('/api/jobs')
      .send({
        name,
        cronExpression: '* * * * * *',
        timezone: 'UTC',
        concurrencyPolicy: 'allow',
        maxRetries: 0,
        target: { type: 'http', url: target.url(`/${name}`) },
        excludeCalendars: [calendarId],
      })
      .expect(201);
    return res.body.data.id as string;
  }

  it('skips every slot of an excluded day and counts each (skipped_runs and the metric)', async () => {
    const cal = (
      await api()
        .post('/api/calendars')
        .send({ name: 'today', timezone: 'UTC', dates: todayAndTomorrow() })
        .expect(201)
    ).body.data;
    const metric = async (): Promise<number> =>
      (await scrapeMetrics(r1.app.getHttpServer())).value('scheduler_skipped_firings_total', {
        reason: 'calendar',
      }) +
      (await scrapeMetrics(r2.app.getHttpServer())).value('scheduler_skipped_firings_total', {
        reason: 'calendar',
      });
    const before = await metric();
    const jobId = await everySecondJob(cal.id, 'excluded-today');
    await sleep(4500);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
    await sleep(800);

    expect(target.forJob(jobId)).toHaveLength(0);
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM job_executions WHERE job_id = $1`,
      [jobId],
    );
    expect(rows[0].n).toBe(0);
    const skipped = Number((await jobRow(sql, jobId))?.skipped_runs);
    expect(skipped).toBeGreaterThanOrEqual(3);
    expect(skipped).toBeLessThanOrEqual(6);
    expect((await metric()) - before).toBe(skipped);
  });

  it('an edited calendar re-plans the job on both replicas within a second', async () => {
    const cal = (
      await api()
        .post('/api/calendars')
        .send({ name: 'switch', timezone: 'UTC', dates: todayAndTomorrow() })
        .expect(201)
    ).body.data;
    const jobId = await everySecondJob(cal.id, 'switched');
    await sleep(2500);
    expect(target.forJob(jobId)).toHaveLength(0);

    // Lifted through the other replica's API: both replicas must follow.
    const api2 = await adminApi(r2.app);
    const liftedAt = Date.now();
    await api2().put(`/api/calendars/${cal.id}`).send({ dates: [] }).expect(200);
    await waitFor(
      'a firing after the calendar was lifted',
      () => target.forJob(jobId).length > 0,
      5000,
      20,
    );
    const first = target.forJob(jobId)[0];
    expect(first.receivedAt.getTime() - liftedAt).toBeLessThan(1500);
    // Every second from then on runs: neither replica keeps skipping with the old calendar. The
    // four slots are awaited (a slot's call can arrive a moment after its second on a loaded
    // machine; the last one is due about 5 s after the lift), so only a slot never run fails.
    const from = Math.ceil((liftedAt + 1000) / 1000) * 1000;
    const missing = (): string[] => {
      const seen = new Set(target.forJob(jobId).map(scheduledFor));
      const out: string[] = [];
      for (let s = from; s <= from + 3000; s += 1000) {
        if (!seen.has(s)) {
          out.push(new Date(s).toISOString());
        }
      }
      return out;
    };
    await waitFor(
      'every second after the lift to run',
      () => missing().length === 0,
      10000,
      50,
    ).catch(() => undefined);
    expect(missing()).toEqual([]);

    const excludedAt = Date.now();
    await api().put(`/api/calendars/${cal.id}`).send({ dates: todayAndTomorrow() }).expect(200);
    await sleep(3000);
    const late = target.forJob(jobId).filter((r) => scheduledFor(r) > excludedAt + 1000);
    expect(late.map((r) => r.headers['x-scheduled-for'])).toEqual([]);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
  });
});
