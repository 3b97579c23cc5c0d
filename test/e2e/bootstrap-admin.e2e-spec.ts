import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

describe('bootstrap admin', () => {
  const apps: TestApp[] = [];
  let db: TestDatabase | undefined;

  const start = async (env: Record<string, string>, shared?: TestDatabase) => {
    const t = await createTestApp({ env, db: shared });
    apps.push(t);
    return t;
  };
  const login = (t: TestApp, username: string, password: string) =>
    request(t.app.getHttpServer()).post('/api/auth/login').send({ username, password });
  const users = (t: TestApp) =>
    t.dataSource.query<{ username: string; role: string }[]>(
      'SELECT username, role FROM users ORDER BY username',
    );

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(apps.splice(0).map((t) => t.close()));
    await db?.drop();
    db = undefined;
  });

  it('creates ADMIN_USERNAME once even when replicas start together', async () => {
    db = await createTestDatabase();
    const env = { ADMIN_USERNAME: 'root-admin', ADMIN_PASSWORD: 'root-admin-password' };
    const [a] = await Promise.all([start(env, db), start(env, db), start(env, db)]);
    expect(await users(a)).toEqual([{ username: 'root-admin', role: 'admin' }]);
    await login(a, 'root-admin', 'root-admin-password').expect(200);
  });

  it('audits the admin it creates once, as the system, in the same transaction, without the password', async () => {
    db = await createTestDatabase();
    const env = { ADMIN_USERNAME: 'audited-admin', ADMIN_PASSWORD: 'audited-admin-password' };
    const [a] = await Promise.all([start(env, db), start(env, db)]);
    await start(env, db);
    const rows = await a.dataSource.query<
      { action: string; actor_type: string; actor_id: string | null; changes: unknown }[]
    >(`SELECT action, actor_type, actor_id, actor_name, resource_id::text, changes FROM audit_log`);
    const [admin] = await a.dataSource.query<{ id: string; password_hash: string }[]>(
      `SELECT id, password_hash FROM users WHERE username = 'audited-admin'`,
    );
    expect(rows).toEqual([
      {
        action: 'user.create',
        actor_type: 'system',
        actor_id: null,
        actor_name: 'system',
        resource_id: admin.id,
        changes: {
          before: null,
          after: { username: 'audited-admin', role: 'admin', passwordHash: '[redacted]' },
        },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('audited-admin-password');
    expect(JSON.stringify(rows)).not.toContain(admin.password_hash);
    const token = (await login(a, 'audited-admin', 'audited-admin-password').expect(200)).body.data
      .accessToken as string;
    const listed = await request(a.app.getHttpServer())
      .get('/api/audit?actorType=system&resourceType=user')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(listed.body.data.entries).toMatchObject([
      { action: 'user.create', actor: { type: 'system', id: null, name: 'system' } },
    ]);
    const none = await request(a.app.getHttpServer())
      .get('/api/audit?actorType=api_key')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(none.body.data.entries).toEqual([]);
    await request(a.app.getHttpServer())
      .get('/api/audit?actorType=robot')
      .set('Authorization', `Bearer ${token}`)
      .expect(400);
  });

  it('does not reset an existing admin password from ADMIN_PASSWORD', async () => {
    db = await createTestDatabase();
    await start({ ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'first-password' }, db);
    const second = await start({ ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'second-password' }, db);
    await login(second, 'boss', 'first-password').expect(200);
    await login(second, 'boss', 'second-password').expect(401);
  });

  it('without ADMIN_* outside production, prints a generated password exactly once', async () => {
    db = await createTestDatabase();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const first = await start({}, db);
    await start({}, db);
    const notices = warn.mock.calls.map(([m]) => String(m)).filter((m) => /ONE-TIME/.test(m));
    expect(notices).toHaveLength(1);
    const password = /password "([^"]+)"/.exec(notices[0])?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    await login(first, 'admin', password).expect(200);
    expect(await users(first)).toEqual([{ username: 'admin', role: 'admin' }]);
    const audit = await first.dataSource.query<{ actor_type: string; changes: unknown }[]>(
      `SELECT actor_type, changes FROM audit_log WHERE action = 'user.create'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_type).toBe('system');
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it('in production without ADMIN_* and no users, creates nobody and explains how', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const t = await start({ NODE_ENV: 'production' });
    expect(await users(t)).toEqual([]);
    const lines = warn.mock.calls.map(([m]) => String(m));
    expect(lines.some((m) => /ADMIN_USERNAME\/ADMIN_PASSWORD/.test(m))).toBe(true);
    expect(lines.some((m) => /password "/.test(m))).toBe(false);
  });
});
