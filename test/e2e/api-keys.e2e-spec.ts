import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { LOG_DESTINATION } from '../../src/core/logging/logging.module.js';
import { adminToken, authed, viewerToken } from '../support/auth.js';
import { buildCreateJobDto } from '../support/factories.js';
import { LogCapture } from '../support/log-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
}

const KEY_FORMAT = /^sk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

describe('API keys (two replicas on one database)', () => {
  const logs = new LogCapture();
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let adminA: ReturnType<typeof authed>;
  const secrets: string[] = [];

  const on = (t: TestApp, key: string) => authed(request(t.app.getHttpServer()), key);
  const create = async (body: Record<string, unknown>): Promise<CreatedKey> => {
    const res = await adminA.post('/api/api-keys').send(body).expect(201);
    secrets.push(res.body.data.key as string);
    return res.body.data as CreatedKey;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTestApp({
      db,
      env: { LOG_LEVEL: 'debug' },
      override: (builder) => builder.overrideProvider(LOG_DESTINATION).useValue(logs),
    });
    b = await createTestApp({ db });
    adminA = authed(request(a.app.getHttpServer()), await adminToken(a.app));
  });

  afterAll(async () => {
    const audit = await a.dataSource.query<{ row: string }[]>(
      `SELECT audit_log::text AS row FROM audit_log`,
    );
    await b?.close();
    await a?.close();
    await db?.drop();
    // Checked last, over every log line and every audit row of the file.
    expect(secrets.length).toBeGreaterThan(0);
    const rows = audit.map((r) => r.row).join('\n');
    expect(rows).toContain('api_key.create');
    const all = logs.text();
    expect(all).toContain('sk_');
    for (const secret of secrets) {
      expect(all).not.toContain(secret.slice(12));
      expect(rows).not.toContain(secret.slice(12));
    }
  });

  it('returns the key once; lists show the prefix, never the key or its hash', async () => {
    const created = await create({ name: 'deploy-bot', role: 'admin' });
    expect(created.key).toMatch(KEY_FORMAT);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created).toMatchObject({ name: 'deploy-bot', role: 'admin', expiresAt: null });
    const list = await on(b, await adminToken(b.app))
      .get('/api/api-keys')
      .expect(200);
    const listed = list.body.data.find((k: { id: string }) => k.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'deploy-bot',
      prefix: created.prefix,
      role: 'admin',
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(created.key.slice(12));
    const [row] = await a.dataSource.query<{ key_hash: string }[]>(
      `SELECT key_hash FROM api_keys WHERE id = $1`,
      [created.id],
    );
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key_hash).not.toContain(created.key.slice(12));
  });

  it('authenticates on every replica with its role, and is audited as the key', async () => {
    const { key, id, prefix } = await create({ name: 'writer', role: 'admin' });
    const me = await on(b, key).get('/api/auth/me').expect(200);
    expect(me.body.data).toEqual({ id, username: 'writer', role: 'admin' });
    const job = await on(a, key).post('/api/jobs').send(buildCreateJobDto()).expect(201);
    await on(b, key)
      .put(`/api/jobs/${job.body.data.id}`)
      .send({ description: 'by key' })
      .expect(200);
    const rows = await a.dataSource.query<
      { action: string; actor_type: string; actor_id: string; actor_name: string }[]
    >(
      `SELECT action, actor_type, actor_id, actor_name FROM audit_log
       WHERE resource_id = $1 ORDER BY at`,
      [job.body.data.id],
    );
    expect(rows).toEqual([
      { action: 'job.create', actor_type: 'api_key', actor_id: id, actor_name: prefix },
      { action: 'job.update', actor_type: 'api_key', actor_id: id, actor_name: prefix },
    ]);
  });

  it('lets a viewer key read but not write', async () => {
    const { key } = await create({ name: 'dashboard', role: 'viewer' });
    await on(a, key).get('/api/jobs').expect(200);
    const res = await on(b, key).post('/api/jobs').send(buildCreateJobDto()).expect(403);
    expect(res.body.error).toBe('Forbidden');
    await on(a, key).post('/api/api-keys').send({ name: 'x', role: 'admin' }).expect(403);
    await on(a, key).get('/api/api-keys').expect(403);
  });

  it('refuses a revoked key at once on every replica', async () => {
    const { key, id } = await create({ name: 'to-revoke', role: 'viewer' });
    await on(a, key).get('/api/jobs').expect(200);
    await on(b, key).get('/api/jobs').expect(200);
    const revoked = await adminA.delete(`/api/api-keys/${id}`).expect(200);
    expect(revoked.body.data.revokedAt).toEqual(expect.any(String));
    for (const t of [a, b]) {
      const res = await on(t, key).get('/api/jobs').expect(401);
      expect(res.body.message).toBe('The API key is invalid, expired or revoked');
    }
    await adminA.delete(`/api/api-keys/${id}`).expect(404);
    const audit = await a.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY at`,
      [id],
    );
    expect(audit.map((r) => r.action)).toEqual(['api_key.create', 'api_key.revoke']);
  });

  it('refuses an expired key on every replica', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const { key } = await create({ name: 'short-lived', role: 'viewer', expiresAt });
    await on(a, key).get('/api/jobs').expect(200);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 100));
    await on(a, key).get('/api/jobs').expect(401);
    await on(b, key).get('/api/jobs').expect(401);
  });

  it('refuses unknown and malformed keys', async () => {
    const { key } = await create({ name: 'real', role: 'viewer' });
    const forged = `${key.slice(0, 12)}${'A'.repeat(43)}`;
    await on(a, forged).get('/api/jobs').expect(401);
    await on(b, 'sk_00000000_short').get('/api/jobs').expect(401);
  });

  it('writes lastUsedAt on first use and at most once a minute after', async () => {
    const { key, id } = await create({ name: 'tracked', role: 'viewer' });
    await on(a, key).get('/api/jobs').expect(200);
    const used = async (): Promise<string | null> => {
      for (let i = 0; i < 50; i++) {
        const [row] = await a.dataSource.query<{ last_used_at: Date | null }[]>(
          `SELECT last_used_at FROM api_keys WHERE id = $1`,
          [id],
        );
        if (row.last_used_at) {
          return row.last_used_at.toISOString();
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    };
    const first = await used();
    expect(first).not.toBeNull();
    await on(b, key).get('/api/jobs').expect(200);
    await on(a, key).get('/api/jobs').expect(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await used()).toBe(first);
  });

  it('rejects bad input per field and creates nothing; only admins manage keys', async () => {
    const count = async (): Promise<number> =>
      (await a.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM api_keys`))[0].n;
    const before = await count();
    const res = await adminA
      .post('/api/api-keys')
      .send({ name: '', role: 'root', expiresAt: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect([...new Set(res.body.details.map((d: { field: string }) => d.field))].sort()).toEqual([
      'expiresAt',
      'name',
      'role',
    ]);
    await adminA
      .post('/api/api-keys')
      .send({ name: 'x', role: 'viewer', expiresAt: 'soon' })
      .expect(400);
    await adminA.post('/api/api-keys').send({ name: 'x', role: 'viewer', extra: 1 }).expect(400);
    await adminA.delete('/api/api-keys/not-a-uuid').expect(400);
    await adminA.delete('/api/api-keys/00000000-0000-4000-8000-000000000000').expect(404);
    const viewer = on(a, await viewerToken(a.app));
    await viewer.post('/api/api-keys').send({ name: 'x', role: 'admin' }).expect(403);
    expect(await count()).toBe(before);
  });
});

describe('API key rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { THROTTLE_USER_LIMIT: '3', THROTTLE_USER_TTL_MS: '60000' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts each key on its own budget', async () => {
    const admin = authed(request(t.app.getHttpServer()), await adminToken(t.app));
    const one = (await admin.post('/api/api-keys').send({ name: 'one', role: 'viewer' })).body.data;
    const two = (await admin.post('/api/api-keys').send({ name: 'two', role: 'viewer' })).body.data;
    const as = (key: string) => authed(request(t.app.getHttpServer()), key);
    for (let i = 0; i < 3; i++) {
      await as(one.key).get('/api/jobs').expect(200);
    }
    const limited = await as(one.key).get('/api/jobs').expect(429);
    expect(limited.headers['retry-after']).toEqual(expect.any(String));
    await as(two.key).get('/api/jobs').expect(200);
  });
});
