import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertExecution, insertJob } from '../support/factories.js';
import { adminApi } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const T0 = Date.UTC(2026, 0, 10, 12);
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

describe('execution history API', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;
  let jobA: string;
  let jobB: string;
  const aRuns: string[] = [];
  let bRun: string;

  const ids = (body: { data: { executions: { id: string }[] } }): string[] =>
    body.data.executions.map((e) => e.id);

  beforeAll(async () => {
    t = await createTestApp();
    api = await adminApi(t.app);
    jobA = await insertJob(t.dataSource);
    jobB = await insertJob(t.dataSource);
    const statuses = ['completed', 'failed', 'completed', 'timeout', 'running'] as const;
    for (const [i, status] of statuses.entries()) {
      aRuns.push(
        await insertExecution(t.dataSource, {
          jobId: jobA,
          status,
          startedAt: at(i * 10),
          completedAt: status === 'running' ? null : at(i * 10 + 1),
          durationMs: status === 'running' ? null : 60_000,
          trigger: i === 2 ? 'manual' : 'schedule',
          retryCount: i === 1 ? 2 : 0,
          output: { i },
        }),
      );
    }
    // In another month (another partition) to prove ordering across partitions.
    bRun = await insertExecution(t.dataSource, {
      jobId: jobB,
      status: 'interrupted',
      startedAt: new Date(Date.UTC(2026, 1, 3)),
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it("lists a job's executions newest first with pagination", async () => {
    const res = await api().get(`/api/jobs/${jobA}/executions?limit=2&page=1`).expect(200);
    expect(ids(res.body)).toEqual([aRuns[4], aRuns[3]]);
    expect(res.body.data.pagination).toEqual({
      page: 1,
      limit: 2,
      total: 5,
      totalPages: 3,
      hasNext: true,
      hasPrev: false,
    });
    expect(res.body.data.executions[0]).toEqual({
      id: aRuns[4],
      jobId: jobA,
      status: 'running',
      startedAt: at(40).toISOString(),
      completedAt: null,
      durationMs: null,
      errorMessage: null,
      retryCount: 0,
      output: { i: 4 },
      scheduledFor: at(40).toISOString(),
      trigger: 'schedule',
      httpStatus: null,
      final: false,
      replayOf: null,
    });
    const last = await api().get(`/api/jobs/${jobA}/executions?limit=2&page=3`).expect(200);
    expect(ids(last.body)).toEqual([aRuns[0]]);
    expect(last.body.data.pagination).toMatchObject({ total: 5, hasNext: false, hasPrev: true });
    const empty = await api().get(`/api/jobs/${jobA}/executions?limit=2&page=4`).expect(200);
    expect(ids(empty.body)).toEqual([]);
    expect(empty.body.data.pagination).toMatchObject({ total: 5, totalPages: 3 });
  });

  it('answers an empty history for a job without executions, exact totals on short pages', async () => {
    const idle = await insertJob(t.dataSource);
    const res = await api().get(`/api/jobs/${idle}/executions`).expect(200);
    expect(res.body.data).toEqual({
      executions: [],
      pagination: { page: 1, limit: 10, total: 0, totalPages: 0, hasNext: false, hasPrev: false },
    });
    const all = await api().get(`/api/jobs/${jobA}/executions?limit=20`).expect(200);
    expect(all.body.data.pagination).toMatchObject({ total: 5, totalPages: 1 });
  });

  it('keeps answering right once PostgreSQL switches the named statements to generic plans', async () => {
    // More than the five custom-planned executions of a statement on every pooled connection.
    for (let i = 0; i < 12; i++) {
      const [job, status, want] =
        i % 2 ? [jobA, 'completed', [aRuns[2], aRuns[0]]] : [jobB, 'interrupted', [bRun]];
      const res = await api().get(`/api/jobs/${job}/executions?status=${status}`).expect(200);
      expect(ids(res.body)).toEqual(want);
      const list = await api().get(`/api/executions?jobId=${job}&status=${status}`).expect(200);
      expect(ids(list.body)).toEqual(want);
    }
  });

  it('filters a job history by status and validates the query', async () => {
    const res = await api()
      .get(`/api/jobs/${jobA}/executions?status=completed&limit=20`)
      .expect(200);
    expect(ids(res.body)).toEqual([aRuns[2], aRuns[0]]);
    await api().get(`/api/jobs/${jobA}/executions?status=done`).expect(400);
    await api().get(`/api/jobs/${jobA}/executions?limit=101`).expect(400);
    await api().get(`/api/jobs/${jobA}/executions?limit=100`).expect(200);
    const none = await api().get(`/api/jobs/${UNKNOWN}/executions`).expect(404);
    expect(none.body.message).toBe('Job not found');
  });

  it('lists all executions newest first across partitions, filtered by job, status and time', async () => {
    const all = await api().get('/api/executions').expect(200);
    expect(ids(all.body)).toEqual([bRun, ...[...aRuns].reverse()]);
    expect(all.body.data.pagination.total).toBe(6);
    const byJob = await api().get(`/api/executions?jobId=${jobB}`).expect(200);
    expect(ids(byJob.body)).toEqual([bRun]);
    const byStatus = await api().get('/api/executions?status=interrupted').expect(200);
    expect(ids(byStatus.body)).toEqual([bRun]);
    const from = at(10).toISOString();
    const to = at(30).toISOString();
    const window = await api().get(`/api/executions?from=${from}&to=${to}`).expect(200);
    expect(ids(window.body)).toEqual([aRuns[3], aRuns[2], aRuns[1]]);
  });

  it('rejects from after to, bad dates and bad ids with 400', async () => {
    const res = await api()
      .get(`/api/executions?from=${at(30).toISOString()}&to=${at(10).toISOString()}`)
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'from', message: 'from must not be after to' }]);
    await api().get('/api/executions?from=yesterday').expect(400);
    await api().get('/api/executions?jobId=abc').expect(400);
    await api().get('/api/executions?limit=101').expect(400);
    await api().get('/api/executions/abc').expect(400);
  });

  it('gets one execution by id, 404 for an unknown one', async () => {
    const res = await api().get(`/api/executions/${aRuns[1]}`).expect(200);
    expect(res.body.data).toMatchObject({
      id: aRuns[1],
      jobId: jobA,
      status: 'failed',
      retryCount: 2,
    });
    const none = await api().get(`/api/executions/${UNKNOWN}`).expect(404);
    expect(none.body).toMatchObject({
      success: false,
      error: 'Not Found',
      message: 'Execution not found',
    });
  });
});
