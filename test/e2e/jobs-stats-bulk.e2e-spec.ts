import { beforeEach, describe, expect, it } from '@jest/globals';
import { countJobs, insertExecution, insertJob } from '../support/factories.js';
import { appWithAdmin, type AdminApi } from '../support/auth.js';
import type { TestApp } from '../support/test-app.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('GET /api/jobs/stats and POST /api/jobs/bulk', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  beforeEach(async () => {
    await t.dataSource.query(`DELETE FROM jobs`);
  });

  it("returns zeros in the README shape plus the original code's scheduler and database", async () => {
    const res = await api().get('/api/jobs/stats').expect(200);
    const jobsByType = { scheduled: 0, immediate: 0, recurring: 0, delayed: 0 };
    expect(res.body).toEqual({
      success: true,
      timestamp: expect.any(String),
      data: {
        totalJobs: 0,
        activeJobs: 0,
        inactiveJobs: 0,
        jobsByType,
        executionStats: { totalExecutions: 0, successfulExecutions: 0, failedExecutions: 0 },
        scheduler: {
          isRunning: false,
          activeJobs: 0,
          runningExecutions: 0,
          totalExecutions: 0,
          successfulExecutions: 0,
          failedExecutions: 0,
          averageExecutionTime: 0,
          successRate: 0,
        },
        database: {
          totalJobs: 0,
          activeJobs: 0,
          totalExecutions: 0,
          recentExecutions: 0,
          jobsByType,
        },
      },
    });
  });

  it('counts jobs by state and type and sums the run counters', async () => {
    const ds = t.dataSource;
    await insertJob(ds, { totalRuns: 10, successfulRuns: 9, failedRuns: 1 });
    await insertJob(ds, { isActive: false, totalRuns: 5, successfulRuns: 2, failedRuns: 3 });
    await insertJob(ds, { jobType: 'immediate', cronExpression: null, isActive: false });
    await insertJob(ds, { jobType: 'recurring', cronExpression: null, intervalMs: 1000 });
    await insertJob(ds, { jobType: 'recurring', totalRuns: 1, successfulRuns: 1 });
    await insertJob(ds, {
      jobType: 'delayed',
      cronExpression: null,
      runAt: new Date(Date.now() + 60_000),
    });
    const res = await api().get('/api/jobs/stats').expect(200);
    expect(res.body.data).toMatchObject({
      totalJobs: 6,
      activeJobs: 4,
      inactiveJobs: 2,
      jobsByType: { scheduled: 2, immediate: 1, recurring: 2, delayed: 1 },
      executionStats: { totalExecutions: 16, successfulExecutions: 12, failedExecutions: 4 },
    });
  });

  it('activates, deactivates and deletes a mix of existing and unknown ids, per id', async () => {
    const ds = t.dataSource;
    const a = await insertJob(ds, { isActive: false });
    const b = await insertJob(ds, { isActive: true, nextRunAt: new Date(Date.now() + 60_000) });
    const off = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, UNKNOWN, b], operation: 'deactivate' })
      .expect(200);
    expect(off.body.data).toEqual({
      operation: 'deactivate',
      results: [
        { id: a, success: true },
        { id: UNKNOWN, success: false, error: 'Job not found' },
        { id: b, success: true },
      ],
      succeeded: 2,
      failed: 1,
    });
    const rows = await ds.query(`SELECT is_active, next_run_at FROM jobs WHERE id = $1`, [b]);
    expect(rows[0]).toEqual({ is_active: false, next_run_at: null });

    const on = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b], operation: 'activate' })
      .expect(200);
    expect(on.body.data).toMatchObject({ succeeded: 2, failed: 0 });
    const active = await ds.query(
      `SELECT count(*)::int AS n FROM jobs WHERE is_active AND next_run_at > now()`,
    );
    expect(active[0].n).toBe(2);

    await insertExecution(ds, { jobId: a });
    const del = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [UNKNOWN, a], operation: 'delete' })
      .expect(200);
    expect(del.body.data.results).toEqual([
      { id: UNKNOWN, success: false, error: 'Job not found' },
      { id: a, success: true },
    ]);
    expect(await countJobs(ds)).toBe(1);
  });

  it('rolls the whole bulk change back when the database fails part-way', async () => {
    const ds = t.dataSource;
    const first = await insertJob(ds, { isActive: false });
    const second = await insertJob(ds, { isActive: false });
    // A real failure inside the transaction, after the first job was already changed.
    await ds.query(`
      CREATE FUNCTION test_refuse_second() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'refused by test trigger';
      END $$`);
    await ds.query(`
      CREATE TRIGGER tr_test_refuse_second BEFORE UPDATE OR DELETE ON jobs
      FOR EACH ROW WHEN (OLD.id = '${second}') EXECUTE FUNCTION test_refuse_second()`);
    try {
      for (const operation of ['activate', 'delete']) {
        const res = await api()
          .post('/api/jobs/bulk')
          .send({ jobIds: [first, second], operation })
          .expect(500);
        expect(res.body.success).toBe(false);
        expect(JSON.stringify(res.body)).not.toMatch(/refused by test trigger/);
        const rows = await ds.query(
          `SELECT id, is_active, next_run_at FROM jobs WHERE id = ANY($1) ORDER BY id`,
          [[first, second]],
        );
        expect(rows).toHaveLength(2);
        expect(rows.every((r: { is_active: boolean }) => !r.is_active)).toBe(true);
      }
    } finally {
      await ds.query(`DROP TRIGGER tr_test_refuse_second ON jobs`);
      await ds.query(`DROP FUNCTION test_refuse_second()`);
    }
  });

  it('reports a job that cannot be activated per id and activates the others', async () => {
    const ds = t.dataSource;
    const stale = await insertJob(ds, {
      jobType: 'delayed',
      cronExpression: null,
      runAt: new Date(Date.now() - 60_000),
      isActive: false,
    });
    const ok = await insertJob(ds, { isActive: false });
    const res = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [stale, ok], operation: 'activate' })
      .expect(200);
    expect(res.body.data.results).toEqual([
      { id: stale, success: false, error: 'runAt must be in the future' },
      { id: ok, success: true },
    ]);
  });

  it('validates the bulk body: 1..100 unique UUIDs and a known operation', async () => {
    const id = await insertJob(t.dataSource);
    const many = Array.from(
      { length: 101 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    for (const [body, field] of [
      [{ jobIds: [], operation: 'delete' }, 'jobIds'],
      [{ jobIds: many, operation: 'delete' }, 'jobIds'],
      [{ jobIds: ['nope'], operation: 'delete' }, 'jobIds'],
      [{ jobIds: [id, id], operation: 'delete' }, 'jobIds'],
      [{ jobIds: [id], operation: 'archive' }, 'operation'],
      [{ jobIds: id, operation: 'delete' }, 'jobIds'],
      [{ operation: 'delete' }, 'jobIds'],
    ] as const) {
      const res = await api().post('/api/jobs/bulk').send(body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await countJobs(t.dataSource)).toBe(1);
    await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: many.slice(0, 100), operation: 'deactivate' })
      .expect(200);
  });

  it('bulk-triggers existing jobs and reports unknown ids per id', async () => {
    const id = await insertJob(t.dataSource);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [id, unknown], operation: 'trigger' })
      .expect(200);
    const results = res.body.data.results as { id: string; success: boolean }[];
    expect(results.find((r) => r.id === id)?.success).toBe(true);
    expect(results.find((r) => r.id === unknown)?.success).toBe(false);
    const runs = await t.dataSource.query(`SELECT trigger FROM job_executions WHERE job_id = $1`, [
      id,
    ]);
    expect(runs).toEqual([{ trigger: 'manual' }]);
  });
});
