import { describe, expect, it } from '@jest/globals';
import { appWithAdmin, type AdminApi } from '../support/auth.js';
import { buildCreateJobDto, countJobs, insertExecution, insertJob } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';

/**
 * Responses read the way the original service's web dashboard reads them: its stats page
 * destructures `{ scheduler = {}, database = {} } = data` and shows `scheduler.isRunning`,
 * `scheduler.activeJobs`, `database.totalJobs`…; after a delete it shows `data.name`; the
 * system page reads `data.system.nodeVersion`.
 */

type Json = Record<string, unknown>;
const HOUR = 3_600_000;

describe('clients of the original service', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  /** Every job of the list, page by page, as a client would total them. */
  async function listAll(query = ''): Promise<{ jobs: Json[]; total: number }> {
    const jobs: Json[] = [];
    for (let page = 1; ; page++) {
      const res = await api().get(`/api/jobs?limit=100&page=${page}${query}`).expect(200);
      jobs.push(...(res.body.data.jobs as Json[]));
      if (!res.body.data.pagination.hasNext) {
        return { jobs, total: res.body.data.pagination.total as number };
      }
    }
  }

  it('answers the dashboard figures under data.scheduler and data.database, agreeing with the job list', async () => {
    const ds = t.dataSource;
    const a = await insertJob(ds, { totalRuns: 10, successfulRuns: 9, failedRuns: 1 });
    await insertJob(ds, { isActive: false, totalRuns: 4, successfulRuns: 1, failedRuns: 3 });
    await insertJob(ds, { jobType: 'recurring', cronExpression: null, intervalMs: 5000 });
    await api().post('/api/jobs').send(buildCreateJobDto()).expect(201);
    await insertExecution(ds, { jobId: a, durationMs: 100 });
    await insertExecution(ds, { jobId: a, durationMs: 300 });
    await insertExecution(ds, {
      jobId: a,
      status: 'running',
      completedAt: null,
      durationMs: null,
      replicaId: 'elsewhere',
    });
    // Older than a day: history, but not "recent" and not in the average.
    await insertExecution(ds, { jobId: a, startedAt: new Date(Date.now() - 48 * HOUR) });

    const res = await api().get('/api/jobs/stats').expect(200);
    const { scheduler = {}, database = {} } = res.body.data as {
      scheduler?: Json;
      database?: Json;
    };

    const all = await listAll();
    const active = await listAll('&isActive=true');
    const sum = (key: string): number =>
      all.jobs.reduce((n, j) => n + ((j.statistics as Json)[key] as number), 0);
    expect(database.totalJobs).toBe(all.total);
    expect(database.totalJobs).toBe(4);
    expect(database.activeJobs).toBe(active.total);
    expect(scheduler.activeJobs).toBe(active.total);
    expect(scheduler.totalExecutions).toBe(sum('totalRuns'));
    expect(scheduler.successfulExecutions).toBe(sum('successfulRuns'));
    expect(scheduler.failedExecutions).toBe(sum('failedRuns'));
    expect(database.totalExecutions).toBe(sum('totalRuns'));
    expect(scheduler.successRate).toBe(71.43); // 10 of 14
    expect(scheduler.averageExecutionTime).toBe(200);

    const running = await api().get('/api/executions?status=running').expect(200);
    expect(scheduler.runningExecutions).toBe(running.body.data.pagination.total);
    expect(scheduler.runningExecutions).toBe(1);
    const since = new Date(Date.now() - 24 * HOUR).toISOString();
    const recent = await api().get(`/api/executions?from=${since}`).expect(200);
    expect(database.recentExecutions).toBe(recent.body.data.pagination.total);
    expect(database.recentExecutions).toBe(3);

    const byType = database.jobsByType as Record<string, number>;
    for (const type of ['scheduled', 'recurring', 'immediate', 'delayed']) {
      expect(byType[type]).toBe((await listAll(`&jobType=${type}`)).total);
    }
    // This app runs with SCHEDULER_ENABLED=false: no scheduler runs here, and it says so.
    expect(scheduler.isRunning).toBe(false);
    // The README's flat fields stay, with the same numbers.
    expect(res.body.data).toMatchObject({
      totalJobs: all.total,
      activeJobs: active.total,
      executionStats: { totalExecutions: sum('totalRuns') },
    });
  });

  it('answers the deleted job as data, so a client can say which one went', async () => {
    const created = await api()
      .post('/api/jobs')
      .send(buildCreateJobDto({ name: 'Nightly export' }))
      .expect(201);
    const id = created.body.data.id as string;
    const before = await countJobs(t.dataSource);

    const res = await api().delete(`/api/jobs/${id}`).expect(200);
    expect(`Job "${res.body.data.name}" deleted`).toBe('Job "Nightly export" deleted');
    expect(res.body).toMatchObject({
      success: true,
      message: 'Job deleted successfully',
      data: {
        id,
        name: 'Nightly export',
        cronExpression: created.body.data.cronExpression,
        statistics: { totalRuns: 0 },
        configuration: created.body.data.configuration,
      },
    });
    expect(await countJobs(t.dataSource)).toBe(before - 1);
    await api().get(`/api/jobs/${id}`).expect(404);

    // Deleting it again, or a non-UUID, is a 4xx and removes nothing else.
    await api().delete(`/api/jobs/${id}`).expect(404);
    await api().delete('/api/jobs/not-a-uuid').expect(400);
    expect(await countJobs(t.dataSource)).toBe(before - 1);
  });

  it('answers data.system with the runtime figures and data.scheduler', async () => {
    const res = await api().get('/api/stats/system').expect(200);
    const { system = {}, scheduler = {} } = res.body.data as { system?: Json; scheduler?: Json };
    expect(system.nodeVersion).toBe(process.version);
    expect(system).toMatchObject({
      uptime: expect.any(Number),
      memory: { rss: expect.any(Number), heapTotal: expect.any(Number) },
      platform: process.platform,
      environment: 'test',
    });
    expect(scheduler).toMatchObject({ enabled: false, isRunning: false });
  });
});

describe('clients of the original service, with the scheduler running', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]), { env: { SCHEDULER_ENABLED: 'true' } });

  it('reports Scheduler Status: Running on both stats routes', async () => {
    await insertJob(t.dataSource, { nextRunAt: new Date(Date.now() + HOUR) });
    let isRunning = false;
    for (let i = 0; i < 50 && !isRunning; i++) {
      const res = await api().get('/api/jobs/stats').expect(200);
      isRunning = (res.body.data.scheduler as Json).isRunning === true;
      if (!isRunning) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(isRunning).toBe(true);
    const stats = await api().get('/api/jobs/stats').expect(200);
    expect(stats.body.data.scheduler.activeJobs).toBe(1);
    const system = await api().get('/api/stats/system').expect(200);
    expect(system.body.data.scheduler).toMatchObject({ enabled: true, isRunning: true });
  });
});
