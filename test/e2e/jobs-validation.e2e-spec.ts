import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCreateJobDto, countJobs, insertJob } from '../support/factories.js';
import { adminApi } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const past = new Date(Date.now() - 60_000).toISOString();
const future = new Date(Date.now() + 3600_000).toISOString();
const deep = (n: number): Record<string, unknown> => (n === 0 ? {} : { a: deep(n - 1) });

/** [rule, body overrides, field expected in details] — each must be a 400 that writes nothing. */
const INVALID: [string, Record<string, unknown>, string][] = [
  ['missing name', { name: undefined }, 'name'],
  ['empty name', { name: '' }, 'name'],
  ['name over 255', { name: 'x'.repeat(256) }, 'name'],
  ['name not a string', { name: 42 }, 'name'],
  ['description over 1000', { description: 'd'.repeat(1001) }, 'description'],
  ['timeoutMs below 1000', { timeoutMs: 999 }, 'timeoutMs'],
  ['timeoutMs above 300000', { timeoutMs: 300001 }, 'timeoutMs'],
  ['timeoutMs not an integer', { timeoutMs: 1500.5 }, 'timeoutMs'],
  ['timeoutMs as a string', { timeoutMs: '30000' }, 'timeoutMs'],
  ['maxRetries below 0', { maxRetries: -1 }, 'maxRetries'],
  ['maxRetries above 10', { maxRetries: 11 }, 'maxRetries'],
  ['retryDelayMs below 1000', { retryDelayMs: 999 }, 'retryDelayMs'],
  ['retryDelayMs above 60000', { retryDelayMs: 60001 }, 'retryDelayMs'],
  ['more than 10 tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
  ['a tag over 50 chars', { tags: ['x'.repeat(51)] }, 'tags'],
  ['tags not strings', { tags: [1] }, 'tags'],
  ['unknown jobType', { jobType: 'weekly' }, 'jobType'],
  ['isActive not boolean', { isActive: 'yes' }, 'isActive'],
  ['isActive null', { isActive: null }, 'isActive'],
  ['payload an array', { payload: [1, 2] }, 'payload'],
  ['payload a string', { payload: 'x' }, 'payload'],
  ['payload over 64 KB', { payload: { blob: 'x'.repeat(70_000) } }, 'payload'],
  ['payload deeper than 10 levels', { payload: deep(10) }, 'payload'],
  ['cron with 4 fields', { cronExpression: '0 0 * *' }, 'cronExpression'],
  ['cron out of range', { cronExpression: '61 * * * *' }, 'cronExpression'],
  ['cron gibberish', { cronExpression: 'every day' }, 'cronExpression'],
  ['cron that never fires', { cronExpression: '0 0 31 2 *' }, 'cronExpression'],
  ['scheduled without cron', { cronExpression: null }, 'cronExpression'],
  ['unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
  ['recurring without timing', { jobType: 'recurring', cronExpression: null }, 'intervalMs'],
  ['interval below 1000', { jobType: 'recurring', intervalMs: 999 }, 'intervalMs'],
  ['interval on a scheduled job', { intervalMs: 5000 }, 'intervalMs'],
  ['delayed without timing', { jobType: 'delayed', cronExpression: null }, 'runAt'],
  ['runAt in the past', { jobType: 'delayed', cronExpression: null, runAt: past }, 'runAt'],
  ['runAt not ISO', { jobType: 'delayed', runAt: 'tomorrow' }, 'runAt'],
  ['runAt on a scheduled job', { runAt: future }, 'runAt'],
  ['target of unknown type', { target: { type: 'ftp', url: 'ftp://x' } }, 'target.type'],
  ['target a string', { target: 'log' }, 'target'],
  ['unknown handler', { target: { type: 'handler', name: 'nope' } }, 'target.name'],
  [
    'handler with a url',
    { target: { type: 'handler', name: 'log', url: 'http://x' } },
    'target.url',
  ],
  ['http without url', { target: { type: 'http' } }, 'target.url'],
  ['http ftp url', { target: { type: 'http', url: 'ftp://example.com/x' } }, 'target.url'],
  ['http relative url', { target: { type: 'http', url: '/hook' } }, 'target.url'],
  [
    'http url with credentials',
    { target: { type: 'http', url: 'https://u:p@example.com/x' } },
    'target.url',
  ],
  [
    'http cloud metadata url',
    { target: { type: 'http', url: 'http://169.254.169.254/latest/meta-data' } },
    'target.url',
  ],
  [
    'http bad method',
    { target: { type: 'http', url: 'https://e.com', method: 'TRACE' } },
    'target.method',
  ],
  [
    'http header not a string',
    { target: { type: 'http', url: 'https://e.com', headers: { 'X-A': 1 } } },
    'target.headers',
  ],
  [
    'http header with newline',
    { target: { type: 'http', url: 'https://e.com', headers: { 'X-A': 'a\r\nB: c' } } },
    'target.headers',
  ],
  [
    'http too many headers',
    {
      target: {
        type: 'http',
        url: 'https://e.com',
        headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-${i}`, 'v'])),
      },
    },
    'target.headers',
  ],
  ['unknown concurrencyPolicy', { concurrencyPolicy: 'queue' }, 'concurrencyPolicy'],
  ['unknown misfirePolicy', { misfirePolicy: 'later' }, 'misfirePolicy'],
  ['unknown retryBackoff', { retryBackoff: 'linear' }, 'retryBackoff'],
  ['createdBy over 255', { createdBy: 'c'.repeat(256) }, 'createdBy'],
  ['NUL in name', { name: 'a\u0000b' }, 'name'],
  ['NUL in a tag', { tags: ['a\u0000'] }, 'tags'],
  ['NUL in a payload value', { payload: { a: 'x\u0000' } }, 'payload'],
  ['NUL in a payload key', { payload: { 'k\u0000': 1 } }, 'payload'],
  ['NUL in a target url', { target: { type: 'http', url: 'https://e.com/\u0000' } }, 'target.url'],
  ['unknown property', { owner: 'me' }, 'owner'],
  ['read-only property', { totalRuns: 5 }, 'totalRuns'],
];

describe('jobs API validation', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;

  beforeAll(async () => {
    t = await createTestApp();
    api = await adminApi(t.app);
    await insertJob(t.dataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(INVALID)(
    'rejects %s with 400 on the field, writing nothing',
    async (_rule, overrides, field) => {
      const before = await countJobs(t.dataSource);
      const body = buildCreateJobDto(overrides);
      const res = await api().post('/api/jobs').send(body).expect(400);
      expect(res.body).toMatchObject({
        success: false,
        error: 'Validation Error',
        timestamp: expect.any(String),
        requestId: expect.any(String),
      });
      const fields = (res.body.details as { field: string; message: string }[]).map((d) => d.field);
      // The field itself or a path inside it (`tags.0`, `payload.a`).
      expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
      for (const d of res.body.details) {
        expect(d.message.length).toBeGreaterThan(0);
      }
      expect(await countJobs(t.dataSource)).toBe(before);
    },
  );

  it('accepts the edges of every limit', async () => {
    const res = await api()
      .post('/api/jobs')
      .send(
        buildCreateJobDto({
          name: 'n'.repeat(255),
          description: 'd'.repeat(1000),
          timeoutMs: 300000,
          maxRetries: 10,
          retryDelayMs: 60000,
          tags: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(50, 'x')),
          payload: deep(9),
          cronExpression: '*/30 * * * * *',
        }),
      )
      .expect(201);
    expect(res.body.data.maxRetries).toBe(10);
    const low = await api()
      .post('/api/jobs')
      .send(buildCreateJobDto({ name: 'n', timeoutMs: 1000, maxRetries: 0, retryDelayMs: 1000 }))
      .expect(201);
    expect(low.body.data.configuration).toEqual({
      timeoutMs: 1000,
      maxRetries: 0,
      retryDelayMs: 1000,
    });
  });

  it('answers a 20 MB body with 413 in the error envelope and writes nothing', async () => {
    const before = await countJobs(t.dataSource);
    const body = buildCreateJobDto({ payload: { blob: 'x'.repeat(20 * 1024 * 1024) } });
    const res = await api().post('/api/jobs').send(body).expect(413);
    expect(res.body).toMatchObject({
      success: false,
      error: 'Payload Too Large',
      message: expect.any(String),
    });
    expect(await countJobs(t.dataSource)).toBe(before);
  });

  it.each([[[]], [[null]], [[{ type: 'http' }]], ['http']])(
    'answers target=%j with 400 (found by the fuzz test as a 500) and writes nothing',
    async (target) => {
      const before = await countJobs(t.dataSource);
      const res = await api()
        .post('/api/jobs')
        .send({ name: 'n', cronExpression: '0 * * * *', target })
        .expect(400);
      expect(res.body.success).toBe(false);
      expect(await countJobs(t.dataSource)).toBe(before);
    },
  );

  it('answers absurdly nested JSON with 400 (not a stack overflow) and writes nothing', async () => {
    const before = await countJobs(t.dataSource);
    const nested = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await api()
      .post('/api/jobs')
      .set('Content-Type', 'application/json')
      .send(`{"name":"n","cronExpression":"0 0 * * *","payload":{"a":${nested}}}`)
      .expect(400);
    expect(res.body.details).toEqual([
      { field: 'body', message: 'must be nested at most 32 levels' },
    ]);
    expect(await countJobs(t.dataSource)).toBe(before);
  });

  it('answers malformed JSON with 400 in the envelope', async () => {
    const res = await api()
      .post('/api/jobs')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body).toMatchObject({ success: false, error: 'Validation Error' });
  });

  it('rejects invalid updates with the same rules and leaves the row unchanged', async () => {
    const id = await insertJob(t.dataSource, { name: 'keep-me' });
    const cases: Record<string, unknown>[] = [
      { name: '' },
      { timeoutMs: 1 },
      { cronExpression: '0 0 30 2 *' },
      { jobType: 'delayed', cronExpression: null },
      { timezone: 'Nowhere/City' },
      { target: { type: 'handler', name: 'missing' } },
      { tags: null },
      { payload: null },
      { id: '00000000-0000-4000-8000-000000000000' },
    ];
    for (const body of cases) {
      await api().put(`/api/jobs/${id}`).send(body).expect(400);
    }
    const rows = await t.dataSource.query(
      `SELECT name, job_type, cron_expression, timeout_ms FROM jobs WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({
      name: 'keep-me',
      job_type: 'scheduled',
      cron_expression: '0 0 * * *',
      timeout_ms: 30000,
    });
  });

  it('refuses to re-activate a delayed job whose runAt has passed', async () => {
    const id = await insertJob(t.dataSource, {
      jobType: 'delayed',
      cronExpression: null,
      runAt: new Date(Date.now() - 3600_000),
      isActive: false,
    });
    const res = await api().put(`/api/jobs/${id}`).send({ isActive: true }).expect(400);
    expect(res.body.details).toEqual([{ field: 'runAt', message: 'runAt must be in the future' }]);
    await api().put(`/api/jobs/${id}`).send({ isActive: true, runAt: future }).expect(200);
  });
});
