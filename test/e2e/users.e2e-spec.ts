import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TokenService } from '../../src/auth/token.service.js';
import type { UserEntity } from '../../src/auth/users/user.entity.js';
import { LastAdminError } from '../../src/auth/users/users.errors.js';
import { UsersService } from '../../src/auth/users/users.service.js';
import { authed, createUser } from '../support/auth.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SQL_NASTY = `' OR '1'='1'; DROP TABLE users; --`;

describe('user management', () => {
  let t: TestApp;
  let me: UserEntity & { password: string };
  let token: string;

  const http = () => request(t.app.getHttpServer());
  const as = () => authed(http(), token);
  const count = async () =>
    Number((await t.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM users'))[0].n);
  const login = (username: string, password: string) =>
    http().post('/api/auth/login').send({ username, password });

  beforeAll(async () => {
    t = await createTestApp();
    me = await createUser(t.app, 'admin');
    token = await t.app.get(TokenService).sign(me);
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates a user, who can then log in; the response has no hash', async () => {
    const res = await as()
      .post('/api/users')
      .send({ username: 'carol', password: 'carol-password', role: 'viewer' })
      .expect(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      username: 'carol',
      role: 'viewer',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await login('carol', 'carol-password').expect(200);
    const listed = await as().get('/api/users').expect(200);
    expect(listed.body.data.map((u: { username: string }) => u.username)).toContain('carol');
    expect(JSON.stringify(listed.body)).not.toMatch(/hash|\$2b\$/i);
  });

  it('answers 409 for a taken name and writes nothing', async () => {
    const before = await count();
    const res = await as()
      .post('/api/users')
      .send({ username: me.username, password: 'whatever-123', role: 'viewer' })
      .expect(409);
    expect(res.body.error).toBe('Conflict');
    expect(await count()).toBe(before);
  });

  it.each([
    [{ username: 'ab', password: 'long-enough', role: 'viewer' }, 'username'],
    [{ username: 'dave', password: 'short', role: 'viewer' }, 'password'],
    [{ username: 'dave', password: 'é'.repeat(40), role: 'viewer' }, 'password'],
    [{ username: 'dave', password: 'long-enough', role: 'root' }, 'role'],
    [{ username: SQL_NASTY, password: 'long-enough', role: 'viewer' }, 'username'],
    [{ username: 'dave', password: 'long-enough', role: 'viewer', isAdmin: true }, 'isAdmin'],
  ])('rejects %j with 400 on %s and writes nothing', async (body, field) => {
    const before = await count();
    const res = await as().post('/api/users').send(body).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('stores and matches SQL metacharacters in a password literally', async () => {
    const user = await createUser(t.app, 'viewer', 'sql-chars', SQL_NASTY);
    await login('sql-chars', SQL_NASTY).expect(200);
    await login('sql-chars', `' OR '1'='1`).expect(401);
    await login(`sql-chars' --`, SQL_NASTY).expect(401);
    await login(`' OR 1=1 --`, `' OR 1=1 --`).expect(401);
    await as()
      .get(`/api/users/${encodeURIComponent(`${user.id}' OR '1'='1`)}`)
      .expect(400);
    expect(await count()).toBeGreaterThan(1);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    await as().get('/api/users/00000000-0000-4000-8000-000000000001').expect(404);
    await as()
      .put('/api/users/00000000-0000-4000-8000-000000000001')
      .send({ role: 'viewer' })
      .expect(404);
    await as().delete('/api/users/00000000-0000-4000-8000-000000000001').expect(404);
    const bad = await as().get('/api/users/not-a-uuid').expect(400);
    expect(bad.body.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
  });

  it('changing a password ends the old tokens and the old password', async () => {
    const user = await createUser(t.app, 'viewer');
    const oldToken = await t.app.get(TokenService).sign(user);
    await authed(http(), oldToken).get('/api/auth/me').expect(200);
    await as().put(`/api/users/${user.id}`).send({ password: 'brand-new-password' }).expect(200);
    await authed(http(), oldToken).get('/api/auth/me').expect(401);
    await login(user.username, user.password).expect(401);
    await login(user.username, 'brand-new-password').expect(200);
  });

  it('promoting a viewer takes effect with a new token; an empty update is 400', async () => {
    const user = await createUser(t.app, 'viewer');
    const res = await as().put(`/api/users/${user.id}`).send({ role: 'admin' }).expect(200);
    expect(res.body.data.role).toBe('admin');
    const fresh = await login(user.username, user.password).expect(200);
    await authed(http(), fresh.body.data.accessToken).get('/api/users').expect(200);
    await as().put(`/api/users/${user.id}`).send({}).expect(400);
  });

  it('deleting a user ends their tokens', async () => {
    const user = await createUser(t.app, 'viewer');
    const theirs = await t.app.get(TokenService).sign(user);
    await as().delete(`/api/users/${user.id}`).expect(200);
    await authed(http(), theirs).get('/api/auth/me').expect(401);
    await as().get(`/api/users/${user.id}`).expect(404);
  });

  it('ends old tokens within AUTH_USER_CACHE_MS of a change made elsewhere', async () => {
    const user = await createUser(t.app, 'viewer');
    const theirs = await t.app.get(TokenService).sign(user);
    await authed(http(), theirs).get('/api/auth/me').expect(200);
    // As another replica or an operator would: straight in SQL, past this replica's cache.
    await t.dataSource.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);
    const deadline = Date.now() + t.config.auth.userCacheMs + 1000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await authed(http(), theirs).get('/api/auth/me')).status;
    }
    expect(status).toBe(401);
  });

  it('refuses to delete yourself or to remove the last admin', async () => {
    await as().delete(`/api/users/${me.id}`).expect(409);
    const others = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM users WHERE role = 'admin' AND id <> $1`,
      [me.id],
    );
    for (const { id } of others) {
      await as().put(`/api/users/${id}`).send({ role: 'viewer' }).expect(200);
    }
    const res = await as().put(`/api/users/${me.id}`).send({ role: 'viewer' }).expect(409);
    expect(res.body.message).toMatch(/last admin/);
    const admins = await t.dataSource.query(`SELECT id FROM users WHERE role = 'admin'`);
    expect(admins).toEqual([{ id: me.id }]);
  });

  it('keeps one admin when two admins are demoted at the same moment', async () => {
    const other = await createUser(t.app, 'admin');
    const users = t.app.get(UsersService);
    const results = await Promise.allSettled([
      users.update(other.id, { role: 'viewer' }),
      users.update(me.id, { role: 'viewer' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(LastAdminError);
    const admins = await t.dataSource.query(`SELECT id FROM users WHERE role = 'admin'`);
    expect(admins).toHaveLength(1);
  });
});
