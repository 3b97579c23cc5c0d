import { describe, expect, it } from '@jest/globals';
import { buildCreateJobDto, countJobs, insertExecution, insertJob } from '../support/factories.js';
import { appWithAdmin, type AdminApi } from '../support/auth.js';
import type { TestApp } from '../support/test-app.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** The original README's create body, sent as-is by a client written for the original. */
const SEED_BODY = {
  name: 'Daily Data Backup',
  description: 'Backup user data every day at midnight',
  cronExpression: '0 0 * * *',
  isActive: true,
  jobType: 'scheduled',
  payload: { database: 'users', format: 'json' },
  timeoutMs: 30000,
  maxRetries: 3,
  retryDelayMs: 5000,
  tags: ['backup', 'daily'],
};

describe('jobs API (CRUD, detail, preview)', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  it('creates a job from the original README body and answers 201 with every field', async () => {
    const res = await api().post('/api/jobs').send(SEED_BODY).expect(201);
    expect(res.body).toEqual({
      success: true,
      message: 'Job created successfully',
      timestamp: expect.stringMatching(ISO),
      data: {
        id: expect.stringMatching(UUID),
        ...SEED_BODY,
        timezone: 'Asia/Kolkata',
        intervalMs: null,
        runAt: null,
        target: { type: 'handler', name: 'log' },
        concurrencyPolicy: 'forbid',
        misfirePolicy: 'fire_once',
        retryBackoff: 'fixed',
        createdBy: null,
        excludeCalendars: [],
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        version: 1,
        lastRunAt: null,
        nextRunAt: expect.stringMatching(ISO),
        startAt: null,
        endAt: null,
        jitterMs: 0,
        maxRuns: null,
        remainingRuns: null,
        pausedAt: null,
        pausedUntil: null,
        pauseNote: null,
        alerts: null,
        autoPauseAfterFailures: null,
        statistics: {
          totalRuns: 0,
          successfulRuns: 0,
          failedRuns: 0,
          successRate: 0,
          consecutiveFailures: 0,
          lastSuccessAt: null,
          lastFailureAt: null,
          lagMsP50: null,
          lagMsP99: null,
          durationMsP50: null,
          durationMsP95: null,
        },
        configuration: { timeoutMs: 30000, maxRetries: 3, retryDelayMs: 5000 },
      },
    });
    // Midnight in Asia/Kolkata (UTC+05:30) is 18:30 UTC.
    const next = new Date(res.body.data.nextRunAt);
    expect(next.getUTCHours()).toBe(18);
    expect(next.getUTCMinutes()).toBe(30);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  });

  it('stores new fields: timezone, http target, policies, interval', async () => {
    const body = buildCreateJobDto({
      jobType: 'recurring',
      cronExpression: null,
      intervalMs: 60000,
      timezone: 'Europe/Berlin',
      target: {
        type: 'http',
        url: 'https://hooks.example.com/x',
        method: 'PUT',
        headers: { 'X-Team': 'data' },
        body: { a: 1 },
      },
      concurrencyPolicy: 'allow',
      misfirePolicy: 'skip',
      retryBackoff: 'exponential',
      createdBy: 'ops',
    });
    const before = Date.now();
    const res = await api().post('/api/jobs').send(body).expect(201);
    const job = res.body.data;
    expect(job).toMatchObject({
      jobType: 'recurring',
      cronExpression: null,
      intervalMs: 60000,
      timezone: 'Europe/Berlin',
      target: body.target,
      concurrencyPolicy: 'allow',
      misfirePolicy: 'skip',
      retryBackoff: 'exponential',
      createdBy: 'ops',
    });
    const next = new Date(job.nextRunAt).getTime();
    expect(next).toBeGreaterThanOrEqual(before + 60000 - 1000);
    expect(next).toBeLessThanOrEqual(Date.now() + 60000 + 1000);
  });

  it('creates an inactive job without nextRunAt and a delayed job due at runAt', async () => {
    const inactive = await api()
      .post('/api/jobs')
      .send(buildCreateJobDto({ isActive: false }))
      .expect(201);
    expect(inactive.body.data.nextRunAt).toBeNull();
    const runAt = new Date(Date.now() + 3600_000).toISOString();
    const delayed = await api()
      .post('/api/jobs')
      .send(buildCreateJobDto({ jobType: 'delayed', cronExpression: null, runAt }))
      .expect(201);
    expect(delayed.body.data).toMatchObject({ runAt, nextRunAt: runAt });
  });

  it('returns { job, executionHistory (latest 10, newest first), isScheduled } by id', async () => {
    const id = await insertJob(t.dataSource, { totalRuns: 4, successfulRuns: 3, failedRuns: 1 });
    const base = Date.UTC(2026, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(
        await insertExecution(t.dataSource, {
          jobId: id,
          startedAt: new Date(base + i * 60_000),
          status: i === 11 ? 'failed' : 'completed',
          errorMessage: i === 11 ? 'boom' : null,
        }),
      );
    }
    const res = await api().get(`/api/jobs/${id}`).expect(200);
    const { job, executionHistory, isScheduled } = res.body.data;
    expect(job.id).toBe(id);
    expect(job.statistics).toMatchObject({
      totalRuns: 4,
      successfulRuns: 3,
      failedRuns: 1,
      successRate: 75,
    });
    expect(isScheduled).toBe(false);
    expect(executionHistory).toHaveLength(10);
    expect(executionHistory.map((e: { id: string }) => e.id)).toEqual(ids.slice(2).reverse());
    expect(executionHistory[0]).toEqual({
      id: ids[11],
      jobId: id,
      status: 'failed',
      startedAt: new Date(base + 11 * 60_000).toISOString(),
      completedAt: new Date(base + 11 * 60_000 + 1000).toISOString(),
      durationMs: 1000,
      errorMessage: 'boom',
      retryCount: 0,
      output: {},
      scheduledFor: new Date(base + 11 * 60_000).toISOString(),
      trigger: 'schedule',
      httpStatus: null,
      final: false,
      replayOf: null,
    });
  });

  it('answers 400 with details for a non-UUID id and 404 "Job not found" for an unknown one', async () => {
    const bad = await api().get('/api/jobs/not-a-uuid').expect(400);
    expect(bad.body).toMatchObject({
      success: false,
      error: 'Validation Error',
      details: [{ field: 'id', message: 'id must be a UUID' }],
    });
    for (const [method, path] of [
      ['get', `/api/jobs/${UNKNOWN}`],
      ['put', `/api/jobs/${UNKNOWN}`],
      ['delete', `/api/jobs/${UNKNOWN}`],
      ['get', `/api/jobs/${UNKNOWN}/executions`],
      ['get', `/api/jobs/${UNKNOWN}/preview`],
      ['post', `/api/jobs/${UNKNOWN}/trigger`],
    ] as const) {
      const res = await api()[method](path).send({ name: 'x' }).expect(404);
      expect(res.body).toMatchObject({
        success: false,
        error: 'Not Found',
        message: 'Job not found',
      });
    }
  });

  it('updates partially, keeps other fields, and recomputes nextRunAt when timing changes', async () => {
    const created = await api().post('/api/jobs').send(buildCreateJobDto()).expect(201);
    const id = created.body.data.id as string;
    const renamed = await api()
      .put(`/api/jobs/${id}`)
      .send({ name: 'Updated Job Name' })
      .expect(200);
    expect(renamed.body).toMatchObject({ success: true, message: 'Job updated successfully' });
    expect(renamed.body.data).toMatchObject({
      name: 'Updated Job Name',
      cronExpression: '0 0 * * *',
      nextRunAt: created.body.data.nextRunAt,
      tags: ['test'],
    });
    // The original README's update body.
    const off = await api()
      .put(`/api/jobs/${id}`)
      .send({ name: 'Updated Job Name', cronExpression: '0 2 * * *', isActive: false })
      .expect(200);
    expect(off.body.data).toMatchObject({
      cronExpression: '0 2 * * *',
      isActive: false,
      nextRunAt: null,
    });
    const on = await api()
      .put(`/api/jobs/${id}`)
      .send({ isActive: true, timezone: 'UTC' })
      .expect(200);
    const next = new Date(on.body.data.nextRunAt);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([2, 0]);
    const cleared = await api().put(`/api/jobs/${id}`).send({ description: null }).expect(200);
    expect(cleared.body.data.description).toBeNull();
  });

  it('leaves a next_run_at the scheduler advanced alone when an edit does not touch timing', async () => {
    const slot = new Date(Date.now() + 7 * 86400_000);
    const id = await insertJob(t.dataSource, { nextRunAt: new Date(Date.now() + 60_000) });
    // The scheduler claims a slot by moving next_run_at (compare-and-set) while a client edits.
    await t.dataSource.query(`UPDATE jobs SET next_run_at = $2 WHERE id = $1`, [id, slot]);
    const res = await api().put(`/api/jobs/${id}`).send({ description: 'x' }).expect(200);
    expect(res.body.data.nextRunAt).toBe(slot.toISOString());
  });

  it('validates the merged job on update, not just the patch', async () => {
    const id = await insertJob(t.dataSource, { jobType: 'scheduled', cronExpression: '0 * * * *' });
    const res = await api().put(`/api/jobs/${id}`).send({ cronExpression: null }).expect(400);
    expect(res.body.details).toEqual([
      { field: 'cronExpression', message: 'cronExpression is required for scheduled jobs' },
    ]);
    const toDelayed = await api()
      .put(`/api/jobs/${id}`)
      .send({ jobType: 'recurring', intervalMs: 5000 })
      .expect(200);
    expect(toDelayed.body.data).toMatchObject({ jobType: 'recurring', intervalMs: 5000 });
    const nulled = await api().put(`/api/jobs/${id}`).send({ name: null }).expect(400);
    expect(nulled.body.details).toEqual([
      expect.objectContaining({ field: 'name' }),
      ...nulled.body.details.slice(1),
    ]);
    const row = await t.dataSource.query(`SELECT name, job_type FROM jobs WHERE id = $1`, [id]);
    expect(row[0].job_type).toBe('recurring');
  });

  it('deletes a job with its executions', async () => {
    const id = await insertJob(t.dataSource);
    await insertExecution(t.dataSource, { jobId: id });
    const res = await api().delete(`/api/jobs/${id}`).expect(200);
    expect(res.body).toMatchObject({
      success: true,
      data: { id },
      message: 'Job deleted successfully',
    });
    await api().get(`/api/jobs/${id}`).expect(404);
    const left = await t.dataSource.query(`SELECT 1 FROM job_executions WHERE job_id = $1`, [id]);
    expect(left).toHaveLength(0);
  });

  it('previews the next fire times in UTC and in the job zone, across spring-forward', async () => {
    const id = await insertJob(t.dataSource, {
      cronExpression: '30 2 * * *',
      timezone: 'America/New_York',
    });
    const res = await api().get(`/api/jobs/${id}/preview?count=3`).expect(200);
    const { jobId, timezone, slots } = res.body.data;
    expect({ jobId, timezone }).toEqual({ jobId: id, timezone: 'America/New_York' });
    expect(slots).toHaveLength(3);
    for (const s of slots) {
      expect(s.at).toMatch(ISO);
      expect(new Date(s.local).getTime()).toBe(new Date(s.at).getTime());
      expect(s.local).toMatch(/T02:30:00\.000-0[45]:00$|T03:00:00\.000-04:00$/);
    }
    const defaults = await api().get(`/api/jobs/${id}/preview`).expect(200);
    expect(defaults.body.data.slots).toHaveLength(5);
    await api().get(`/api/jobs/${id}/preview?count=101`).expect(400);
    await api().get(`/api/jobs/${id}/preview?count=0`).expect(400);
  });

  it('runs a manual trigger through the dispatch: 202, then a completed manual execution', async () => {
    const id = await insertJob(t.dataSource);
    const res = await api().post(`/api/jobs/${id}/trigger`).expect(202);
    expect(res.body).toMatchObject({
      success: true,
      data: { executionId: expect.any(String), jobId: id, triggeredAt: expect.any(String) },
    });
    const executionId = res.body.data.executionId as string;
    let status = 'running';
    for (let i = 0; i < 100 && status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await api().get(`/api/executions/${executionId}`).expect(200)).body.data.status;
    }
    expect(status).toBe('completed');
    const runs = await api().get(`/api/jobs/${id}/executions`).expect(200);
    expect(runs.body.data.executions).toEqual([
      expect.objectContaining({ id: executionId, trigger: 'manual', status: 'completed' }),
    ]);
    await api().post(`/api/jobs/00000000-0000-4000-8000-000000000000/trigger`).expect(404);
  });

  it('keeps GET /api/jobs/stats from being captured by /api/jobs/:id', async () => {
    const res = await api().get('/api/jobs/stats').expect(200);
    expect(res.body.data).toHaveProperty('totalJobs');
    expect(await countJobs(t.dataSource)).toBe(res.body.data.totalJobs);
  });
});
