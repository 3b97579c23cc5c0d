import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Clock } from '../../src/core/time/clock.js';
import { SCHEDULE_COLUMNS } from '../../src/jobs/schedule/schedule.js';
import { JobTimers } from '../../src/scheduler/timers/job-timers.js';
import { adminApi } from '../support/auth.js';
import { HttpTargetServer } from '../support/http-target.js';
import { ignorePoolError, insertJobRow, sleep, waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A clock the test moves: real time plus an offset (timers still sleep in real time). */
class TestClock extends Clock {
  private offsetMs = 0;
  set(iso: string): void {
    this.offsetMs = Date.parse(iso) - Date.now();
  }
  override now(): Date {
    return new Date(this.nowMs());
  }
  override nowMs(): number {
    return Date.now() + this.offsetMs;
  }
}

/** The examples of the exact-time issue: expression, zone, asked from, expected local slots. */
const EXAMPLES: [string, string, string, string[]][] = [
  [
    '0 2 * * *',
    'America/New_York',
    '2026-10-31T12:00:00Z',
    ['2026-11-01T02:00:00.000-05:00', '2026-11-02T02:00:00.000-05:00'],
  ],
  [
    '0 1 * * *',
    'America/New_York',
    '2026-10-31T12:00:00Z',
    ['2026-11-01T01:00:00.000-04:00', '2026-11-02T01:00:00.000-05:00'],
  ],
  [
    '0 3 * * *',
    'Europe/Berlin',
    '2026-10-24T12:00:00Z',
    ['2026-10-25T03:00:00.000+01:00', '2026-10-26T03:00:00.000+01:00'],
  ],
  [
    '0 0 * * *',
    'America/Santiago',
    '2026-04-04T12:00:00Z',
    ['2026-04-05T00:00:00.000-04:00', '2026-04-06T00:00:00.000-04:00'],
  ],
  [
    '0 1,2 * * *',
    'America/New_York',
    '2026-10-31T12:00:00Z',
    [
      '2026-11-01T01:00:00.000-04:00',
      '2026-11-01T02:00:00.000-05:00',
      '2026-11-02T01:00:00.000-05:00',
    ],
  ],
  [
    '0 1 * * *',
    'Europe/London',
    '2026-10-24T12:00:00Z',
    ['2026-10-25T01:00:00.000+01:00', '2026-10-26T01:00:00.000+00:00'],
  ],
  [
    '15 2 * * *',
    'Australia/Sydney',
    '2026-10-03T00:00:00Z',
    ['2026-10-04T03:00:00.000+11:00', '2026-10-05T02:15:00.000+11:00'],
  ],
  [
    '30 2 * * *',
    'Africa/Casablanca',
    '2026-03-21T12:00:00Z',
    ['2026-03-22T03:00:00.000+01:00', '2026-03-23T02:30:00.000+01:00'],
  ],
  [
    '30 2 * * *',
    'America/New_York',
    '2026-03-07T12:00:00Z',
    ['2026-03-08T03:00:00.000-04:00', '2026-03-09T02:30:00.000-04:00'],
  ],
  ['30 30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', ['2026-03-08T03:00:00.000-04:00']],
  [
    '0 2 * * *',
    'Australia/Lord_Howe',
    '2026-10-03T00:00:00Z',
    ['2026-10-04T02:30:00.000+11:00', '2026-10-05T02:00:00.000+11:00'],
  ],
  [
    '30 1 * * *',
    'Australia/Lord_Howe',
    '2026-04-04T00:00:00Z',
    ['2026-04-05T01:30:00.000+11:00', '2026-04-06T01:30:00.000+10:30'],
  ],
  [
    '5 * * * *',
    'America/New_York',
    '2026-03-08T05:30:00Z',
    ['2026-03-08T01:05:00.000-05:00', '2026-03-08T03:05:00.000-04:00'],
  ],
  [
    '0 * * * *',
    'America/New_York',
    '2026-11-01T04:30:00Z',
    [
      '2026-11-01T01:00:00.000-04:00',
      '2026-11-01T01:00:00.000-05:00',
      '2026-11-01T02:00:00.000-05:00',
    ],
  ],
  [
    '*/15 1 * * *',
    'America/New_York',
    '2026-11-01T05:50:00Z',
    ['2026-11-01T01:00:00.000-05:00', '2026-11-01T01:15:00.000-05:00'],
  ],
  [
    '0 * * * *',
    'Pacific/Chatham',
    '2026-09-26T12:00:00Z',
    [
      '2026-09-27T01:00:00.000+12:45',
      '2026-09-27T02:00:00.000+12:45',
      '2026-09-27T04:00:00.000+13:45',
    ],
  ],
  [
    '0 0 1 * 0-6',
    'UTC',
    '2026-10-30T12:00:00Z',
    [
      '2026-10-31T00:00:00.000+00:00',
      '2026-11-01T00:00:00.000+00:00',
      '2026-11-02T00:00:00.000+00:00',
    ],
  ],
  [
    '0 0 */2 * 1',
    'UTC',
    '2026-10-30T12:00:00Z',
    ['2026-11-09T00:00:00.000+00:00', '2026-11-23T00:00:00.000+00:00'],
  ],
  ['@daily', 'UTC', '2026-10-30T12:00:00Z', ['2026-10-31T00:00:00.000+00:00']],
  [
    '0 0 L * *',
    'UTC',
    '2026-01-30T12:00:00Z',
    ['2026-01-31T00:00:00.000+00:00', '2026-02-28T00:00:00.000+00:00'],
  ],
  ['0 0 15W * *', 'UTC', '2026-01-30T12:00:00Z', ['2026-02-16T00:00:00.000+00:00']],
  ['0 0 * * 1#2', 'UTC', '2026-01-30T12:00:00Z', ['2026-02-09T00:00:00.000+00:00']],
  ['0 0 * * 5L', 'UTC', '2026-01-30T12:00:00Z', ['2026-02-27T00:00:00.000+00:00']],
  [
    '0 0 29 2 *',
    'UTC',
    '2026-12-01T00:00:00Z',
    [
      '2028-02-29T00:00:00.000+00:00',
      '2032-02-29T00:00:00.000+00:00',
      '2036-02-29T00:00:00.000+00:00',
      '2040-02-29T00:00:00.000+00:00',
      '2044-02-29T00:00:00.000+00:00',
    ],
  ],
];

describe('Exact time through the API', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createTestApp({ override: (b) => b.overrideProvider(Clock).useValue(clock) });
    api = await adminApi(t.app);
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(EXAMPLES)(
    '%s in %s from %s: create, then preview',
    async (cron, zone, from, expected) => {
      clock.set(from);
      const created = await api()
        .post('/api/jobs')
        .send({ name: `${cron} ${zone}`, cronExpression: cron, timezone: zone })
        .expect(201);
      const id = created.body.data.id as string;
      const res = await api().get(`/api/jobs/${id}/preview?count=${expected.length}`).expect(200);
      const slots = res.body.data.slots as { at: string; local: string }[];
      expect(slots.map((s) => s.local)).toEqual(expected);
      expect(slots.map((s) => new Date(s.local).toISOString())).toEqual(slots.map((s) => s.at));
      expect(created.body.data.nextRunAt).toBe(slots[0].at);
    },
  );

  it('previews the new schedule after an update, and 100 leap days on request', async () => {
    clock.set('2026-12-01T00:00:00Z');
    const created = await api()
      .post('/api/jobs')
      .send({ name: 'moved', cronExpression: '0 9 * * *', timezone: 'UTC' })
      .expect(201);
    const id = created.body.data.id as string;
    await api()
      .put(`/api/jobs/${id}`)
      .send({ cronExpression: '0 0 29 2 *', timezone: 'Europe/Paris' })
      .expect(200);
    const res = await api().get(`/api/jobs/${id}/preview?count=100`).expect(200);
    const slots = res.body.data.slots as { at: string; local: string }[];
    expect(slots).toHaveLength(100);
    expect(slots[0].local).toBe('2028-02-29T00:00:00.000+01:00');
    const times = slots.map((s) => Date.parse(s.at));
    expect(times.every((x, i) => i === 0 || x > times[i - 1])).toBe(true);
  });

  it('refuses an expression that never fires, in general or in the job zone, and writes nothing', async () => {
    clock.set('2026-12-01T00:00:00Z');
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM jobs');
    const never = await api()
      .post('/api/jobs')
      .send({ name: 'never', cronExpression: '0 0 30 2 *' })
      .expect(400);
    expect(never.body.details).toEqual([
      { field: 'cronExpression', message: expect.stringContaining('never fires') },
    ]);
    const gap = await api()
      .post('/api/jobs')
      .send({ name: 'gap', cronExpression: '* 2 * 3 0#2', timezone: 'America/New_York' })
      .expect(400);
    expect(gap.body.details).toEqual([
      { field: 'cronExpression', message: 'cronExpression never fires in America/New_York' },
    ]);
    const after = await t.dataSource.query('SELECT count(*)::int AS n FROM jobs');
    expect(after).toEqual(before);
  });
});

describe('Exact time through real firings (New York, 2027)', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;
  const clock = new TestClock();
  const target = new HttpTargetServer();

  /** Scheduled-for instants delivered to the receiver for one job path. */
  const delivered = (path: string): string[] =>
    target.requests.filter((r) => r.path === path).map((r) => String(r.headers['x-scheduled-for']));

  /** Moves the clock and wakes the timers (they sleep in real time, up to 30 s). */
  const jumpTo = (iso: string): void => {
    clock.set(iso);
    const timers = t.app.get(JobTimers, { strict: false });
    timers.stop();
    timers.start();
  };

  const create = async (path: string, cron: string): Promise<string> => {
    const res = await api()
      .post('/api/jobs')
      .send({
        name: path,
        cronExpression: cron,
        timezone: 'America/New_York',
        target: { type: 'http', url: target.url(path) },
        maxRetries: 0,
      })
      .expect(201);
    return res.body.data.id as string;
  };

  beforeAll(async () => {
    await target.start();
    clock.set('2027-03-14T06:59:56Z');
    t = await createTestApp({
      env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'exact' },
      override: (b) => b.overrideProvider(Clock).useValue(clock),
    });
    api = await adminApi(t.app);
  });

  afterAll(async () => {
    await t.close();
    await target.stop();
  });

  it('fires a time skipped by spring-forward at 03:00 EDT, once', async () => {
    clock.set('2027-03-14T06:59:56Z'); // 01:59:56 EST; 02:00 -> 03:00 EDT at 07:00Z
    const id = await create('/spring', '30 2 * * *');
    await waitFor('the 03:00 EDT firing', () => delivered('/spring').length >= 1, 15000);
    expect(delivered('/spring')).toEqual(['2027-03-14T07:00:00.000Z']);
    await api().delete(`/api/jobs/${id}`).expect(200);
  });

  it('fires 01:00 once, 02:00 once and every hour in both passes on fall-back day', async () => {
    // 2027-11-07: 02:00 EDT -> 01:00 EST at 06:00Z; 01:00-01:59 happens at 05:xxZ and 06:xxZ.
    jumpTo('2027-11-07T04:59:56Z');
    await create('/one', '0 1 * * *');
    await create('/two', '0 2 * * *');
    await create('/hourly', '0 * * * *');
    await waitFor(
      '01:00 EDT',
      () => delivered('/one').length >= 1 && delivered('/hourly').length >= 1,
      15000,
    );

    jumpTo('2027-11-07T05:59:57Z');
    await waitFor('01:00 EST', () => delivered('/hourly').length >= 2, 15000);
    await sleep(1500);
    expect(delivered('/one')).toEqual(['2027-11-07T05:00:00.000Z']);
    expect(delivered('/two')).toEqual([]);

    jumpTo('2027-11-07T06:59:57Z');
    await waitFor(
      '02:00 EST',
      () => delivered('/two').length >= 1 && delivered('/hourly').length >= 3,
      15000,
    );
    await sleep(1500);
    expect(delivered('/one')).toEqual(['2027-11-07T05:00:00.000Z']);
    expect(delivered('/two')).toEqual(['2027-11-07T07:00:00.000Z']);
    expect(delivered('/hourly')).toEqual([
      '2027-11-07T05:00:00.000Z',
      '2027-11-07T06:00:00.000Z',
      '2027-11-07T07:00:00.000Z',
    ]);
  });
});

describe('The definition-change trigger and the schedule columns', () => {
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

  /** For each schedule column: a row to start from and an UPDATE that changes that column. */
  const CHANGES: Record<string, { row: Parameters<typeof insertJobRow>[1]; set: string }> = {
    is_active: { row: { cronExpression: '0 * * * *' }, set: 'is_active = false' },
    job_type: { row: { cronExpression: '0 * * * *' }, set: `job_type = 'recurring'` },
    cron_expression: { row: { cronExpression: '0 * * * *' }, set: `cron_expression = '5 * * * *'` },
    interval_ms: { row: { jobType: 'recurring', intervalMs: 60000 }, set: 'interval_ms = 120000' },
    run_at: {
      row: { jobType: 'delayed', runAt: new Date('2030-01-01T00:00:00Z') },
      set: `run_at = '2031-01-01T00:00:00Z'`,
    },
    timezone: { row: { cronExpression: '0 * * * *' }, set: `timezone = 'Europe/Paris'` },
    paused_at: {
      row: { cronExpression: '0 * * * *', isActive: false },
      set: 'paused_at = now()',
    },
    paused_until: {
      row: { cronExpression: '0 * * * *', isActive: false },
      set: `paused_at = now(), paused_until = now() + interval '1 hour'`,
    },
  };

  it.each(Object.values(SCHEDULE_COLUMNS))(
    'notifies a change of %s made in SQL',
    async (column) => {
      const change = CHANGES[column];
      expect(change).toBeDefined();
      const id = await insertJobRow(sql, change.row);
      const listener = new pg.Client({ connectionString: t.db.url });
      await listener.connect();
      try {
        const heard: string[] = [];
        listener.on('notification', (n) => heard.push(String(n.payload)));
        await listener.query('LISTEN job_changed');
        await sql.query(`UPDATE jobs SET next_run_at = now() WHERE id = $1`, [id]);
        await sql.query(`UPDATE jobs SET ${change.set} WHERE id = $1`, [id]);
        await waitFor(`a notification for ${column}`, () => heard.length > 0, 5000);
        // The scheduler's own write (next_run_at) is not a definition change; the column's is.
        expect(heard).toEqual([`${id}:UPDATE`]);
      } finally {
        await listener.end();
      }
    },
  );
});
