import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TokenService } from '../../src/auth/token.service.js';
import type { UserEntity } from '../../src/auth/users/user.entity.js';
import { UsersService } from '../../src/auth/users/users.service.js';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';

export type TestRole = 'admin' | 'viewer';

/** Creates a user through the real service (bcrypt and all). Password defaults to a random one. */
export async function createUser(
  app: INestApplication,
  role: TestRole,
  username = `${role}-${randomBytes(4).toString('hex')}`,
  password = `pw-${randomBytes(8).toString('hex')}`,
): Promise<UserEntity & { password: string }> {
  const user = await app.get(UsersService).create({ username, password, role });
  return Object.assign(user, { password });
}

/** A fresh user of the role and a real signed token for it. */
export async function tokenFor(app: INestApplication, role: TestRole): Promise<string> {
  return app.get(TokenService).sign(await createUser(app, role));
}

export const adminToken = (app: INestApplication): Promise<string> => tokenFor(app, 'admin');
export const viewerToken = (app: INestApplication): Promise<string> => tokenFor(app, 'viewer');

type Http = ReturnType<typeof request>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

/**
 * `authed(request(app.getHttpServer()), token).post('/api/jobs').send(body)`: the supertest
 * calls you know, each carrying `Authorization: Bearer <token>`.
 */
export function authed(http: Http, token: string): Record<Method, (url: string) => request.Test> {
  const bearer = `Bearer ${token}`;
  return {
    get: (url) => http.get(url).set('Authorization', bearer),
    post: (url) => http.post(url).set('Authorization', bearer),
    put: (url) => http.put(url).set('Authorization', bearer),
    patch: (url) => http.patch(url).set('Authorization', bearer),
    delete: (url) => http.delete(url).set('Authorization', bearer),
    head: (url) => http.head(url).set('Authorization', bearer),
  };
}

/**
 * An admin acting on the API: `api().post('/api/jobs').send(body)`. Every /api route needs a
 * bearer token, so the jobs and executions tests share this instead of repeating the setup.
 */
export async function adminApi(app: INestApplication): Promise<() => ReturnType<typeof authed>> {
  const token = await adminToken(app);
  return () => authed(request(app.getHttpServer()), token);
}

export type AdminApi = Awaited<ReturnType<typeof adminApi>>;

/**
 * The setup most API suites share: one app for the enclosing describe block (created before
 * its tests, closed after them) and an admin client for it, handed to `ready`:
 * `let t: TestApp; let api: AdminApi; appWithAdmin((app, client) => ([t, api] = [app, client]));`
 */
export function appWithAdmin(
  ready: (t: TestApp, api: AdminApi) => void,
  options?: TestAppOptions,
): void {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await createTestApp(options);
    ready(t, await adminApi(t.app));
  });
  afterAll(async () => {
    await t?.close();
  });
}
