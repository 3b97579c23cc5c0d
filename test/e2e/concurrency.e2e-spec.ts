import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { IdempotencyPurgeService } from '../../src/idempotency/idempotency-purge.service.js';
import { adminApi, appWithAdmin, type AdminApi } from '../support/auth.js';
import { buildCreateJobDto, countJobs } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('optimistic concurrency (version, ETag, If-Match)', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  beforeEach(async () => {
    await t.dataSource.query(`DELETE FROM jobs`);
  });

  const createJob = async (over: Record<string, unknown> = {}): Promise<string> =>
    (await api().post('/api/jobs').send(buildCreateJobDto(over)).expect(201)).body.data.id;
  const storedRow = async (id: string): Promise<Record<string, unknown> | undefined> =>
    (await t.dataSource.query(`SELECT * FROM jobs WHERE id = $1`, [id]))[0];

  it('serves the version in the job and as a strong ETag; PUT returns the next one', async () => {
    const id = await createJob();
    const got = await api().get(`/api/jobs/${id}`).expect(200);
    expect(got.body.data.job.version).toBe(1);
    expect(got.headers.etag).toBe('"1"');
    // The detail also carries the latest runs: no 304 on the job's tag alone.
    await api().get(`/api/jobs/${id}`).set('If-None-Match', '"1"').expect(200);
    const put = await api()
      .put(`/api/jobs/${id}`)
      .set('If-Match', '"1"')
      .send({ description: 'v2' })
      .expect(200);
    expect(put.body.data.version).toBe(2);
    expect(put.headers.etag).toBe('"2"');
  });

  it('answers a stale If-Match with 412 and the current version, and changes nothing', async () => {
    const id = await createJob({ description: 'original' });
    await api().put(`/api/jobs/${id}`).send({ description: 'by someone else' }).expect(200);
    const before = await storedRow(id);
    const put = await api()
      .put(`/api/jobs/${id}`)
      .set('If-Match', '"1"')
      .send({ description: 'mine' })
      .expect(412);
    expect(put.body).toMatchObject({
      success: false,
      error: 'Precondition Failed',
      currentVersion: 2,
      details: [{ field: 'If-Match', message: 'current version is 2' }],
    });
    await api().delete(`/api/jobs/${id}`).set('If-Match', '"1"').expect(412);
    await api()
      .put(`/api/jobs/${id}`)
      .set('If-Match', 'W/"2"')
      .send({ description: 'x' })
      .expect(412);
    expect(await storedRow(id)).toEqual(before);
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE resource_id = $1`, [
      id,
    ]);
    expect(audit).toHaveLength(2);
  });

  it('writes when If-Match names the current version or *, and last write wins without it', async () => {
    const id = await createJob();
    await api()
      .put(`/api/jobs/${id}`)
      .set('If-Match', '"7", "1"')
      .send({ description: 'a' })
      .expect(200);
    await api().put(`/api/jobs/${id}`).set('If-Match', '*').send({ description: 'b' }).expect(200);
    await api().put(`/api/jobs/${id}`).send({ description: 'c' }).expect(200);
    expect((await storedRow(id))?.version).toBe(4);
    const del = await api().delete(`/api/jobs/${id}`).set('If-Match', '"4"').expect(200);
    expect(del.body.data).toMatchObject({ id, version: 4, description: 'c' });
    await api().delete(`/api/jobs/${id}`).set('If-Match', '"4"').expect(404);
  });

  it('rejects a malformed If-Match with 400 and changes nothing', async () => {
    const id = await createJob();
    const before = await storedRow(id);
    for (const header of ['abc', '"1', '""', ',']) {
      const res = await api()
        .put(`/api/jobs/${id}`)
        .set('If-Match', header)
        .send({ description: 'no' })
        .expect(400);
      expect(res.body.details[0].field).toBe('If-Match');
    }
    await api().delete(`/api/jobs/${id}`).set('If-Match', 'version-1').expect(400);
    expect(await storedRow(id)).toEqual(before);
  });

  it('lets exactly one of two concurrent writes based on the same version through', async () => {
    const id = await createJob();
    const statuses = await Promise.all(
      ['first', 'second', 'third'].map(
        async (d) =>
          (await api().put(`/api/jobs/${id}`).set('If-Match', '"1"').send({ description: d }))
            .status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 412, 412]);
    expect((await storedRow(id))?.version).toBe(2);
  });

  it('is not moved by the scheduler writing counters and next_run_at', async () => {
    const id = await createJob();
    await t.dataSource.query(
      `UPDATE jobs SET total_runs = total_runs + 1, successful_runs = successful_runs + 1,
         last_run_at = now(), next_run_at = now() + interval '1 hour' WHERE id = $1`,
      [id],
    );
    expect((await storedRow(id))?.version).toBe(1);
  });

  it('checks optional per-id versions in bulk operations', async () => {
    const a = await createJob();
    const b = await createJob();
    await api().put(`/api/jobs/${b}`).send({ description: 'moved on' }).expect(200);
    const res = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b], operation: 'deactivate', versions: { [a]: 1, [b]: 1 } })
      .expect(200);
    expect(res.body.data.results).toEqual([
      { id: a, success: true },
      { id: b, success: false, error: "Version mismatch: the job's current version is 2" },
    ]);
    expect((await storedRow(b))?.is_active).toBe(true);
    const del = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b], operation: 'delete', versions: { [b]: 2 } })
      .expect(200);
    expect(del.body.data.succeeded).toBe(2);
    const bad = await api()
      .post('/api/jobs/bulk')
      .send({ jobIds: [a], operation: 'delete', versions: { 'not-an-id': 0 } })
      .expect(400);
    expect(bad.body.details[0].field).toBe('versions');
  });
});

describe('idempotent writes (Idempotency-Key)', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;
  let other: Awaited<ReturnType<typeof adminApi>>;

  beforeAll(async () => {
    t = await createTestApp();
    api = await adminApi(t.app);
    other = await adminApi(t.app);
  });

  beforeEach(async () => {
    await t.dataSource.query(`DELETE FROM jobs`);
    await t.dataSource.query(`DELETE FROM idempotency_keys`);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('creates one job for 20 concurrent POSTs with one key; all 20 get the same body', async () => {
    const body = buildCreateJobDto({ name: 'once-only' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api().post('/api/jobs').set('Idempotency-Key', 'create-once-0001').send(body),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const first = responses[0].text;
    for (const r of responses) {
      expect(r.text).toBe(first);
    }
    expect(await countJobs(t.dataSource)).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    const audit = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'job.create' AND resource_id = $1`,
      [JSON.parse(first).data.id],
    );
    expect(audit[0].n).toBe(1);
  });

  it('answers 422 for the same key with another body, and keys are per caller', async () => {
    await api()
      .post('/api/jobs')
      .set('Idempotency-Key', 'k-422')
      .send(buildCreateJobDto({ name: 'a' }))
      .expect(201);
    const res = await api()
      .post('/api/jobs')
      .set('Idempotency-Key', 'k-422')
      .send(buildCreateJobDto({ name: 'b' }))
      .expect(422);
    expect(res.body).toMatchObject({ success: false, error: 'Unprocessable Entity' });
    // Key order does not make another request.
    const same = { tags: ['x'], name: 'c', cronExpression: '0 0 * * *' };
    const reordered = { cronExpression: '0 0 * * *', name: 'c', tags: ['x'] };
    const one = await api().post('/api/jobs').set('Idempotency-Key', 'k-order').send(same);
    const two = await api().post('/api/jobs').set('Idempotency-Key', 'k-order').send(reordered);
    expect(two.text).toBe(one.text);
    // Another caller's identical key is its own.
    await other()
      .post('/api/jobs')
      .set('Idempotency-Key', 'k-422')
      .send(buildCreateJobDto({ name: 'b' }))
      .expect(201);
    expect(await countJobs(t.dataSource)).toBe(3);
  });

  it('stores one backfill per key; the same key with another range is 422', async () => {
    const id = (
      await api()
        .post('/api/jobs')
        .send(buildCreateJobDto({ cronExpression: '0 * * * *', isActive: false }))
        .expect(201)
    ).body.data.id;
    const range = {
      from: new Date(Date.now() - 5 * 3_600_000).toISOString(),
      to: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        api().post(`/api/jobs/${id}/backfill`).set('Idempotency-Key', 'bf-1').send(range),
      ),
    );
    expect(a.status).toBe(202);
    expect(b.text).toBe(a.text);
    const stored = await t.dataSource.query(`SELECT id FROM job_backfills WHERE job_id = $1`, [id]);
    expect(stored).toEqual([{ id: a.body.data.backfillId }]);
    await api()
      .post(`/api/jobs/${id}/backfill`)
      .set('Idempotency-Key', 'bf-1')
      .send({ ...range, to: new Date(Date.now() - 2 * 3_600_000).toISOString() })
      .expect(422);
  });

  it('runs a trigger once per key', async () => {
    const id = (await api().post('/api/jobs').send(buildCreateJobDto()).expect(201)).body.data.id;
    const a = await api()
      .post(`/api/jobs/${id}/trigger`)
      .set('Idempotency-Key', 'trig-1')
      .expect(202);
    const b = await api()
      .post(`/api/jobs/${id}/trigger`)
      .set('Idempotency-Key', 'trig-1')
      .expect(202);
    expect(b.body).toEqual(a.body);
    const runs = await t.dataSource.query(`SELECT id FROM job_executions WHERE job_id = $1`, [id]);
    expect(runs).toEqual([{ id: a.body.data.executionId }]);
    // The same key on another route is another request.
    await api()
      .post('/api/jobs')
      .set('Idempotency-Key', 'trig-1')
      .send(buildCreateJobDto())
      .expect(422);
  });

  it('rejects a malformed key with 400 and creates nothing', async () => {
    for (const key of ['', 'has space', 'x'.repeat(256), 'tab\tkey', 'ünïcode']) {
      const res = await api()
        .post('/api/jobs')
        .set('Idempotency-Key', key)
        .send(buildCreateJobDto());
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    }
    await api()
      .post('/api/jobs')
      .set('Idempotency-Key', 'x'.repeat(255))
      .send(buildCreateJobDto())
      .expect(201);
    expect(await countJobs(t.dataSource)).toBe(1);
  });

  it('stores no failure: a retry after a 400 runs anew', async () => {
    await api()
      .post('/api/jobs')
      .set('Idempotency-Key', 'after-400')
      .send(buildCreateJobDto({ timeoutMs: 1 }))
      .expect(400);
    await api()
      .post('/api/jobs')
      .set('Idempotency-Key', 'after-400')
      .send(buildCreateJobDto({ timeoutMs: 1000 }))
      .expect(201);
    expect(await countJobs(t.dataSource)).toBe(1);
  });

  it('forgets a key after 24 h: expired rows are purged and the key runs again', async () => {
    const body = buildCreateJobDto({ name: 'expires' });
    await api().post('/api/jobs').set('Idempotency-Key', 'old-key').send(body).expect(201);
    await t.dataSource.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second'`,
    );
    expect(await t.app.get(IdempotencyPurgeService).run()).toBe(1);
    expect(await t.dataSource.query(`SELECT * FROM idempotency_keys`)).toEqual([]);
    await t.dataSource.query(`DELETE FROM jobs`);
    const again = await api().post('/api/jobs').set('Idempotency-Key', 'old-key').send(body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});
