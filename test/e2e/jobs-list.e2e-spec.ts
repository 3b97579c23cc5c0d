import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertJob } from '../support/factories.js';
import { adminApi } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

describe('GET /api/jobs (list, search, filters, pagination)', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;
  const byName = new Map<string, string>();

  const names = async (query: string): Promise<string[]> => {
    const res = await api().get(`/api/jobs?limit=100&${query}`).expect(200);
    return (res.body.data.jobs as { name: string }[]).map((j) => j.name);
  };

  beforeAll(async () => {
    t = await createTestApp();
    api = await adminApi(t.app);
    const fixtures: [string, string | null, Record<string, unknown>][] = [
      ['Daily Data Backup', 'backup of users', { tags: ['backup', 'daily'] }],
      ['Weekly report', null, { tags: ['report', 'weekly'], isActive: false }],
      ['100% done', 'percent sign', { tags: ['daily'] }],
      ['1000 done', 'no percent', {}],
      ['a_b', 'underscore', { jobType: 'recurring', cronExpression: null, intervalMs: 5000 }],
      ['axb', 'no underscore', {}],
      ["O'Brien", 'quote', {}],
      ['back\\slash', 'backslash', {}],
      ['say "hi"', 'double quote', { jobType: 'immediate', cronExpression: null }],
      ['plain', 'mentions BACKUP in description', { isActive: false }],
    ];
    for (const [i, [name, description, extra]] of fixtures.entries()) {
      byName.set(
        name,
        await insertJob(t.dataSource, { name, description, createdAt: at(i), ...extra }),
      );
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists newest first with the pagination object', async () => {
    const res = await api().get('/api/jobs').expect(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data.pagination).toEqual({
      page: 1,
      limit: 10,
      total: 10,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
    });
    expect(res.body.data.jobs.map((j: { name: string }) => j.name)).toEqual(
      [...byName.keys()].reverse(),
    );
    expect(res.body.data.jobs[0]).toHaveProperty('statistics');
    expect(res.body.data.jobs[0]).toHaveProperty('configuration');
  });

  it('pages: middle, last (partial) and past-the-end (empty) pages', async () => {
    const p2 = await api().get('/api/jobs?page=2&limit=3').expect(200);
    expect(p2.body.data.pagination).toEqual({
      page: 2,
      limit: 3,
      total: 10,
      totalPages: 4,
      hasNext: true,
      hasPrev: true,
    });
    expect(p2.body.data.jobs.map((j: { name: string }) => j.name)).toEqual([
      "O'Brien",
      'axb',
      'a_b',
    ]);
    const last = await api().get('/api/jobs?page=4&limit=3').expect(200);
    expect(last.body.data.jobs.map((j: { name: string }) => j.name)).toEqual(['Daily Data Backup']);
    expect(last.body.data.pagination).toMatchObject({ hasNext: false, hasPrev: true });
    const empty = await api().get('/api/jobs?page=5&limit=3').expect(200);
    expect(empty.body.data.jobs).toEqual([]);
    expect(empty.body.data.pagination).toMatchObject({ page: 5, total: 10, hasNext: false });
  });

  it('accepts limit 100 and rejects 101, 0, non-numbers and page 0 with details', async () => {
    await api().get('/api/jobs?limit=100').expect(200);
    for (const [query, field] of [
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['jobType=weekly', 'jobType'],
      ['isActive=yes', 'isActive'],
      ['isActive=1', 'isActive'],
      ['unknown=1', 'unknown'],
      ['search=%00', 'search'],
      ['tags=a%00', 'tags'],
    ]) {
      const res = await api().get(`/api/jobs?${query}`).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('searches name and description case-insensitively', async () => {
    expect(await names('search=backup')).toEqual(['plain', 'Daily Data Backup']);
    expect(await names('search=WEEKLY')).toEqual(['Weekly report']);
  });

  it('matches SQL and LIKE metacharacters literally', async () => {
    expect(await names(`search=${encodeURIComponent('%')}`)).toEqual(['100% done']);
    expect(await names(`search=${encodeURIComponent('_')}`)).toEqual(['a_b']);
    expect(await names(`search=${encodeURIComponent("'")}`)).toEqual(["O'Brien"]);
    expect(await names(`search=${encodeURIComponent('\\')}`)).toEqual(['back\\slash']);
    expect(await names(`search=${encodeURIComponent('"')}`)).toEqual(['say "hi"']);
    expect(await names(`search=${encodeURIComponent("'; DROP TABLE jobs; --")}`)).toEqual([]);
    expect(await names('')).toHaveLength(10);
  });

  it('does not match text spanning the name and the description (one index covers both)', async () => {
    // 'axb' + newline + 'no underscore': the index's joined text contains "b\nno" and "axb no"
    // would span the two fields were they joined by a space.
    expect(await names(`search=${encodeURIComponent('axb no')}`)).toEqual([]);
    expect(await names(`search=${encodeURIComponent('axb\nno')}`)).toEqual([]);
    expect(await names('search=xb')).toEqual(['axb']);
    expect(await names(`search=${encodeURIComponent('no under')}`)).toEqual(['axb']);
  });

  it('filters by jobType and isActive', async () => {
    expect(await names('jobType=recurring')).toEqual(['a_b']);
    expect(await names('jobType=immediate')).toEqual(['say "hi"']);
    expect(await names('isActive=false')).toEqual(['plain', 'Weekly report']);
    expect(await names('isActive=true')).toHaveLength(8);
    expect(await names('isActive=false&search=report')).toEqual(['Weekly report']);
  });

  it('filters by tags: a job must carry all given tags', async () => {
    expect(await names('tags=daily')).toEqual(['100% done', 'Daily Data Backup']);
    expect(await names('tags=daily,backup')).toEqual(['Daily Data Backup']);
    expect(await names(`tags=${encodeURIComponent(' daily , backup ')}`)).toEqual([
      'Daily Data Backup',
    ]);
    expect(await names('tags=daily,weekly')).toEqual([]);
    await api()
      .get(`/api/jobs?tags=${'x'.repeat(51)}`)
      .expect(400);
  });

  it('serves the original README query unchanged', async () => {
    const res = await api()
      .get('/api/jobs?page=1&limit=10&search=backup&jobType=scheduled&isActive=true&tags=daily')
      .expect(200);
    expect(res.body.data.jobs.map((j: { name: string }) => j.name)).toEqual(['Daily Data Backup']);
    expect(res.body.data.pagination.total).toBe(1);
  });
});

describe('GET /api/jobs totals across replicas', () => {
  // Totals are cached per filter and checked against the list generation in the page's own
  // snapshot; a write on one replica must show in the very next total on another.
  let a: TestApp;
  let b: TestApp;
  let apiA: Awaited<ReturnType<typeof adminApi>>;
  let apiB: Awaited<ReturnType<typeof adminApi>>;

  const total = async (api: typeof apiA, query = ''): Promise<number> => {
    const res = await api().get(`/api/jobs?limit=1&${query}`).expect(200);
    return res.body.data.pagination.total as number;
  };

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({ db: a.db });
    apiA = await adminApi(a.app);
    apiB = await adminApi(b.app);
    for (let i = 0; i < 3; i++) {
      await insertJob(a.dataSource, { name: `seed ${i}`, tags: ['seed'] });
    }
  });

  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('shows a create, a delete and a bulk change on one replica in the next total on the other', async () => {
    // Warm both replicas' caches for three filters.
    for (const api of [apiA, apiB]) {
      expect(await total(api)).toBe(3);
      expect(await total(api, 'isActive=true')).toBe(3);
      expect(await total(api, 'search=seed')).toBe(3);
    }

    const created = await apiA()
      .post('/api/jobs')
      .send({ name: 'seed new', cronExpression: '0 * * * *', tags: ['seed'] })
      .expect(201);
    const id = created.body.data.id as string;
    expect(await total(apiB)).toBe(4);
    expect(await total(apiB, 'isActive=true')).toBe(4);
    expect(await total(apiB, 'search=seed')).toBe(4);

    await apiB()
      .post('/api/jobs/bulk')
      .send({ operation: 'deactivate', jobIds: [id] })
      .expect(200);
    expect(await total(apiA, 'isActive=true')).toBe(3);
    expect(await total(apiA, 'isActive=false')).toBe(1);
    expect(await total(apiA)).toBe(4);

    await apiB().delete(`/api/jobs/${id}`).expect(200);
    expect(await total(apiA)).toBe(3);
    expect(await total(apiA, 'search=seed')).toBe(3);
    expect(await total(apiA, 'isActive=false')).toBe(0);
  });

  it('does not change the total for scheduler writes, and counts them when they change a filter', async () => {
    expect(await total(apiA)).toBe(3);
    const id = await insertJob(a.dataSource, {
      name: 'one-shot',
      jobType: 'immediate',
      cronExpression: null,
    });
    expect(await total(apiB, 'isActive=true')).toBe(4);
    // What the scheduler does when it fires a one-shot job: advance and deactivate it.
    await a.dataSource.query(
      `UPDATE jobs SET next_run_at = now(), total_runs = total_runs + 1 WHERE id = $1`,
      [id],
    );
    expect(await total(apiB, 'isActive=true')).toBe(4);
    await a.dataSource.query(
      `UPDATE jobs SET is_active = false, next_run_at = NULL WHERE id = $1`,
      [id],
    );
    expect(await total(apiB, 'isActive=true')).toBe(3);
    expect(await total(apiA, 'isActive=true')).toBe(3);
  });
});
