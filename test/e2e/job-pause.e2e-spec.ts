import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { adminApi, appWithAdmin, type AdminApi } from '../support/auth.js';
import { HttpTargetServer } from '../support/http-target.js';
import { ignorePoolError, jobRow, sleep, waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(90000);

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('Pause and resume through the API', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  const create = async (body: Record<string, unknown> = {}): Promise<string> => {
    const res = await api()
      .post('/api/jobs')
      .send({ name: 'p', cronExpression: '0 * * * *', timezone: 'UTC', ...body })
      .expect(201);
    return res.body.data.id as string;
  };

  it('pauses with a note and an until, shows it on the job, and resumes from now', async () => {
    const id = await create();
    const until = new Date(Date.now() + 3600_000).toISOString();
    const paused = await api()
      .post(`/api/jobs/${id}/pause`)
      .send({ until, note: 'upstream maintenance' })
      .expect(200);
    const job = paused.body.data;
    expect(job).toMatchObject({
      isActive: false,
      nextRunAt: null,
      pausedUntil: until,
      pauseNote: 'upstream maintenance',
    });
    expect(Date.now() - Date.parse(job.pausedAt)).toBeLessThan(10_000);

    // Pausing again changes until and note, not pausedAt.
    const again = await api().post(`/api/jobs/${id}/pause`).send({ note: 'longer' }).expect(200);
    expect(again.body.data).toMatchObject({
      pausedAt: job.pausedAt,
      pausedUntil: null,
      pauseNote: 'longer',
    });

    const resumed = await api().post(`/api/jobs/${id}/resume`).expect(200);
    expect(resumed.body.data).toMatchObject({
      isActive: true,
      pausedAt: null,
      pausedUntil: null,
      pauseNote: null,
    });
    const next = Date.parse(resumed.body.data.nextRunAt);
    expect(next).toBeGreaterThan(Date.now());
    expect(new Date(next).getUTCMinutes()).toBe(0);
  });

  it('refuses bad pause input per field, and unknown or unpausable jobs, changing nothing', async () => {
    const id = await create();
    const snapshot = async (): Promise<unknown> =>
      (await t.dataSource.query(`SELECT * FROM jobs WHERE id = $1`, [id]))[0];
    const original = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ until: '2020-01-01T00:00:00Z' }, 'until'],
      [{ until: 'tomorrow' }, 'until'],
      [{ note: 'x'.repeat(501) }, 'note'],
      [{ note: 42 }, 'note'],
      [{ extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await api().post(`/api/jobs/${id}/pause`).send(body).expect(400);
      expect([...new Set(res.body.details.map((d: { field: string }) => d.field))]).toEqual([
        field,
      ]);
    }
    expect(await snapshot()).toEqual(original);

    await api().post(`/api/jobs/${MISSING}/pause`).send({}).expect(404);
    await api().post(`/api/jobs/${MISSING}/resume`).expect(404);
    await api().post(`/api/jobs/not-a-uuid/pause`).send({}).expect(400);
    const notPaused = await api().post(`/api/jobs/${id}/resume`).expect(409);
    expect(notPaused.body.message).toBe('Job is not paused');
    const inactive = await create({ isActive: false });
    await api().post(`/api/jobs/${inactive}/pause`).send({}).expect(409);
    expect(await snapshot()).toEqual(original);
  });

  it('pauses and resumes in bulk, per id, and an explicit isActive ends a pause', async () => {
    const a = await create();
    const b = await create({ isActive: false });
    const res = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b, MISSING], operation: 'pause', note: 'freeze' })
      .expect(200);
    expect(res.body.data.results).toEqual([
      { id: a, success: true },
      { id: b, success: false, error: expect.stringContaining('inactive') },
      { id: MISSING, success: false, error: 'Job not found' },
    ]);
    const paused = await api().get(`/api/jobs/${a}`).expect(200);
    expect(paused.body.data.job).toMatchObject({ isActive: false, pauseNote: 'freeze' });

    const bad = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a], operation: 'activate', note: 'x' })
      .expect(400);
    expect(bad.body.details).toEqual([
      { field: 'note', message: 'note applies to the pause operation only' },
    ]);

    const resumed = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b], operation: 'resume' })
      .expect(200);
    expect(resumed.body.data.results).toEqual([
      { id: a, success: true },
      { id: b, success: false, error: 'Job is not paused' },
    ]);
    await api().post(`/api/jobs/${a}/pause`).send({}).expect(200);
    const activated = await api().put(`/api/jobs/${a}`).send({ isActive: true }).expect(200);
    expect(activated.body.data).toMatchObject({ isActive: true, pausedAt: null });
  });

  it('refuses a row that is active and paused at once (CHECK)', async () => {
    const id = await create();
    const sql = new pg.Pool({ connectionString: t.db.url, max: 1 }).on('error', ignorePoolError);
    try {
      await expect(
        sql.query(`UPDATE jobs SET paused_at = now() WHERE id = $1`, [id]),
      ).rejects.toThrow(/ck_jobs_paused_inactive/);
      await expect(
        sql.query(`UPDATE jobs SET is_active = false, pause_note = 'x' WHERE id = $1`, [id]),
      ).rejects.toThrow(/ck_jobs_pause_fields/);
    } finally {
      await sql.end();
    }
  });
});

describe('A timed pause with real firings', () => {
  let db: TestDatabase;
  const target = new HttpTargetServer();
  let sql: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    await target.start();
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
  });

  afterAll(async () => {
    await sql.end();
    await target.stop();
    await db.drop();
  });

  const resumesOf = async (id: string): Promise<Record<string, unknown>[]> =>
    (
      await sql.query(
        `SELECT actor_type, actor_name, changes FROM audit_log
         WHERE resource_id = $1 AND action = 'job.resume' ORDER BY at`,
        [id],
      )
    ).rows;
  const slotsOf = (id: string): number[] =>
    target.forJob(id).map((r) => Date.parse(String(r.headers['x-scheduled-for'])));

  it('stops firing until 3 s ahead, then resumes by itself with no catch-up', async () => {
    const app = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'p1' } });
    try {
      const api = await adminApi(app.app);
      const res = await api()
        .post('/api/jobs')
        .send({
          name: 'every second',
          cronExpression: '* * * * * *',
          timezone: 'UTC',
          concurrencyPolicy: 'allow',
          target: { type: 'http', url: target.url('/tick') },
        })
        .expect(201);
      const id = res.body.data.id as string;
      await waitFor('two firings', () => slotsOf(id).length >= 2, 15000);
      const until = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000 + 500);
      await api().post(`/api/jobs/${id}/pause`).send({ until: until.toISOString() }).expect(200);
      const pausedAt = Date.now();
      await sleep(until.getTime() - Date.now() - 300);
      // At most a slot already claimed when the pause committed fires inside the pause.
      const during = slotsOf(id).filter((s) => s > pausedAt);
      expect(during).toEqual([]);
      await waitFor('firings after the pause', () => slotsOf(id).some((s) => s > until.getTime()));
      const after = slotsOf(id).filter((s) => s > pausedAt);
      // The first slot after the pause is the first second after until: no catch-up.
      expect(after[0]).toBe(Math.ceil(until.getTime() / 1000) * 1000);
      const row = await jobRow(sql, id);
      expect(row).toMatchObject({ is_active: true, paused_at: null, paused_until: null });
      // The scheduler's resume is audited like a person's, as the system, once.
      expect(await resumesOf(id)).toEqual([
        {
          actor_type: 'system',
          actor_name: 'system',
          changes: {
            before: {
              isActive: false,
              pausedAt: expect.any(String),
              pausedUntil: until.toISOString(),
              version: 2,
            },
            after: { isActive: true, pausedAt: null, pausedUntil: null, version: 3 },
          },
        },
      ]);
    } finally {
      await app.close();
    }
  });

  it('resumes a pause that ended while no replica was up, once, on the replica that starts', async () => {
    const first = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'p2' } });
    let id: string;
    try {
      const api = await adminApi(first.app);
      const res = await api()
        .post('/api/jobs')
        .send({
          name: 'restart',
          cronExpression: '* * * * * *',
          timezone: 'UTC',
          target: { type: 'http', url: target.url('/restart') },
        })
        .expect(201);
      id = res.body.data.id as string;
      const until = new Date(Date.now() + 2000).toISOString();
      await api().post(`/api/jobs/${id}/pause`).send({ until }).expect(200);
    } finally {
      await first.close();
    }
    await sleep(2500);
    expect((await jobRow(sql, id))?.is_active).toBe(false);
    const stoppedAt = Date.now();
    const before = slotsOf(id).length;
    const replicas = [
      await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'p3' } }),
      await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'p4' } }),
    ];
    try {
      await waitFor('a firing after restart', () => slotsOf(id).length > before, 15000);
      const slots = slotsOf(id);
      // Nothing of the pause is caught up: every slot after the restart is later than it.
      expect(slots.slice(before).every((slot) => slot > stoppedAt)).toBe(true);
      expect(new Set(slots).size).toBe(slots.length);
      expect(await jobRow(sql, id)).toMatchObject({ is_active: true, paused_until: null });
      expect((await resumesOf(id)).map((r) => r.actor_type)).toEqual(['system']);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
