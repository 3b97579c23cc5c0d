import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApi } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A versioned resource besides jobs: its route, table, a create body and two different edits. */
interface Versioned {
  route: string;
  table: string;
  create: Record<string, unknown>;
  edit: (n: number) => Record<string, unknown>;
}

const RESOURCES: [string, Versioned][] = [
  [
    'calendar',
    {
      route: '/api/calendars',
      table: 'calendars',
      create: { name: 'holidays', timezone: 'UTC', dates: ['2030-12-25'] },
      edit: (n) => ({ description: `edit ${n}` }),
    },
  ],
  [
    'channel',
    {
      route: '/api/channels',
      table: 'notification_channels',
      create: {
        name: 'ops',
        type: 'webhook',
        url: 'http://127.0.0.1:9/hook',
        secret: 'whsec-versioned-0123456789',
      },
      edit: (n) => ({ name: `ops ${n}` }),
    },
  ],
];

describe.each(RESOURCES)('optimistic concurrency on a %s (version, ETag, If-Match)', (kind, r) => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof adminApi>>;

  beforeAll(async () => {
    t = await createTestApp();
    api = await adminApi(t.app);
  });

  afterAll(async () => {
    await t?.close();
  });

  const create = async (): Promise<string> =>
    (await api().post(r.route).send(r.create).expect(201)).body.data.id;
  const stored = async (id: string): Promise<Record<string, unknown> | undefined> =>
    (await t.dataSource.query(`SELECT * FROM ${r.table} WHERE id = $1`, [id]))[0];
  const auditCount = async (id: string): Promise<number> =>
    (
      await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log WHERE resource_id = $1`,
        [id],
      )
    )[0].n;

  it('serves the version in the resource and as a strong ETag; a change bumps it, a no-op does not', async () => {
    const id = await create();
    const got = await api().get(`${r.route}/${id}`).expect(200);
    expect(got.body.data.version).toBe(1);
    expect(got.headers.etag).toBe('"1"');
    const put = await api()
      .put(`${r.route}/${id}`)
      .set('If-Match', '"1"')
      .send(r.edit(1))
      .expect(200);
    expect(put.body.data.version).toBe(2);
    expect(put.headers.etag).toBe('"2"');
    const updatedAt = (await stored(id))?.updated_at;
    const same = await api().put(`${r.route}/${id}`).send(r.edit(1)).expect(200);
    expect(same.body.data.version).toBe(2);
    expect((await stored(id))?.updated_at).toEqual(updatedAt);
    expect(await auditCount(id)).toBe(2);
    const listed = await api().get(r.route).expect(200);
    expect(JSON.stringify(listed.body.data)).toContain(`"version":2`);
  });

  it('answers a stale If-Match with 412 and the current version, and writes nothing', async () => {
    const id = await create();
    await api().put(`${r.route}/${id}`).send(r.edit(1)).expect(200);
    const before = await stored(id);
    const put = await api()
      .put(`${r.route}/${id}`)
      .set('If-Match', '"1"')
      .send(r.edit(2))
      .expect(412);
    expect(put.body).toMatchObject({
      success: false,
      error: 'Precondition Failed',
      currentVersion: 2,
      details: [{ field: 'If-Match', message: 'current version is 2' }],
    });
    expect(put.body.message).toContain(kind);
    await api().put(`${r.route}/${id}`).set('If-Match', 'W/"2"').send(r.edit(3)).expect(412);
    const del = await api().delete(`${r.route}/${id}`).set('If-Match', '"1"').expect(412);
    expect(del.body.currentVersion).toBe(2);
    expect(await stored(id)).toEqual(before);
    expect(await auditCount(id)).toBe(2);
  });

  it('writes when If-Match names the current version or *, and last write wins without it', async () => {
    const id = await create();
    await api().put(`${r.route}/${id}`).set('If-Match', '"7", "1"').send(r.edit(1)).expect(200);
    await api().put(`${r.route}/${id}`).set('If-Match', '*').send(r.edit(2)).expect(200);
    await api().put(`${r.route}/${id}`).send(r.edit(3)).expect(200);
    expect((await stored(id))?.version).toBe(4);
    const del = await api().delete(`${r.route}/${id}`).set('If-Match', '"4"').expect(200);
    expect(del.body.data).toMatchObject({ id, version: 4 });
    await api().delete(`${r.route}/${id}`).set('If-Match', '"4"').expect(404);
    await api()
      .delete(`${r.route}/${await create()}`)
      .expect(200);
  });

  it('rejects a malformed If-Match with 400 and writes nothing', async () => {
    const id = await create();
    const before = await stored(id);
    for (const header of ['abc', '"1', '""', ',']) {
      const res = await api()
        .put(`${r.route}/${id}`)
        .set('If-Match', header)
        .send(r.edit(1))
        .expect(400);
      expect(res.body.details[0].field).toBe('If-Match');
    }
    await api().delete(`${r.route}/${id}`).set('If-Match', 'version-1').expect(400);
    expect(await stored(id)).toEqual(before);
    expect(await auditCount(id)).toBe(1);
  });

  it('lets exactly one of concurrent writes based on the same version through', async () => {
    const id = await create();
    const statuses = await Promise.all(
      [1, 2, 3].map(
        async (n) =>
          (await api().put(`${r.route}/${id}`).set('If-Match', '"1"').send(r.edit(n))).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 412, 412]);
    expect((await stored(id))?.version).toBe(2);
    expect(await auditCount(id)).toBe(2);
  });
});
