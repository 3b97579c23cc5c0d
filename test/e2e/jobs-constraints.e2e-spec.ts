import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { insertJob, type JobRow } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The database refuses incoherent jobs even when the API is bypassed (bulk SQL, bugs). */
describe('jobs table CHECK constraints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    // TypeORM prints every failed query with console.log; the failures here are the point.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it.each<[string, JobRow, string]>([
    ['scheduled without cron', { cronExpression: null }, 'ck_jobs_scheduled_needs_cron'],
    [
      'recurring without timing',
      { jobType: 'recurring', cronExpression: null },
      'ck_jobs_recurring_needs_timing',
    ],
    [
      'delayed without timing',
      { jobType: 'delayed', cronExpression: null },
      'ck_jobs_delayed_needs_timing',
    ],
    ['interval on a scheduled job', { intervalMs: 5000 }, 'ck_jobs_interval_recurring'],
    ['runAt on a scheduled job', { runAt: new Date() }, 'ck_jobs_run_at_delayed'],
    ['payload an array', { payload: [1] as never }, 'ck_jobs_payload_object'],
    [
      'handler target without name',
      { target: { type: 'handler' } as never },
      'ck_jobs_target_shape',
    ],
    ['http target without url', { target: { type: 'http' } as never }, 'ck_jobs_target_shape'],
    ['a tag over 50 characters', { tags: ['x'.repeat(51)] }, 'ck_jobs_tag_length'],
    ['an empty tag', { tags: [''] }, 'ck_jobs_tag_length'],
    ['eleven tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'ck_jobs_tags'],
  ])('refuses %s', async (_case, row, constraint) => {
    await expect(insertJob(t.dataSource, row)).rejects.toMatchObject({ constraint });
  });

  it('accepts coherent rows of every type', async () => {
    await insertJob(t.dataSource, { tags: ['a', 'x'.repeat(50)] });
    await insertJob(t.dataSource, { jobType: 'recurring', cronExpression: null, intervalMs: 1000 });
    await insertJob(t.dataSource, { jobType: 'delayed', cronExpression: null, runAt: new Date() });
    await insertJob(t.dataSource, { jobType: 'immediate', cronExpression: null });
    await insertJob(t.dataSource, { target: { type: 'http', url: 'https://e.com' } });
  });
});
