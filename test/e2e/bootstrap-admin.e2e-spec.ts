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
