import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { TokenService } from '../../src/auth/token.service.js';
import type { UserEntity } from '../../src/auth/users/user.entity.js';
import { authed, createUser } from '../support/auth.js';
import { apiRoutes, concretePath, isWrite, type RouteInfo } from '../support/routes.js';
import { createTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';

const LOGIN = '/api/auth/login';
/** Not writes, though POST: a viewer watches the console's live screens too. */
const VIEWER_MAY_POST = ['/api/events/ticket'];

describe('authentication and roles on every /api route', () => {
  let t: TestApp;
  let admin: UserEntity & { password: string };
  let adminToken: string;
  let viewerToken: string;
  let routes: RouteInfo[];

  const http = () => request(t.app.getHttpServer());
  const call = (r: RouteInfo, url = concretePath(r.path)) =>
    http()[r.method.toLowerCase() as 'get'](url);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t.app, 'admin');
    adminToken = await t.app.get(TokenService).sign(admin);
    viewerToken = await t.app.get(TokenService).sign(await createUser(t.app, 'viewer'));
    routes = apiRoutes(t.app);
  });

  afterAll(async () => {
    await t.close();
  });

  /** Claims that would be valid if signed right: a real user, its current credential stamp. */
  const claimsOf = (user: UserEntity) => ({
    sub: user.id,
    username: user.username,
    role: user.role,
    cst: t.app.get(TokenService).stampOf(user),
  });

  const badTokens = async (): Promise<Record<string, string>> => {
    const jwt = t.app.get(JwtService);
    const claims = claimsOf(admin);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return {
      garbage: 'not-a-jwt',
      expired: await jwt.signAsync(claims, { expiresIn: -30 }),
      otherSecret: await jwt.signAsync(claims, { secret: 'another-secret-another-secret-1234' }),
      otherIssuer: await jwt.signAsync(claims, { issuer: 'someone-else' }),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: 'job-scheduler' })}.`,
      staleStamp: await jwt.signAsync({ ...claims, cst: 'AAAAAAAAAAAAAAAA' }),
      unknownUser: await jwt.signAsync({ ...claims, sub: '00000000-0000-4000-8000-00000000dead' }),
    };
  };

  it('finds the auth and user routes in the router', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        `POST ${LOGIN}`,
        'GET /api/auth/me',
        'POST /api/users',
        'GET /api/users',
        'GET /api/users/:id',
        'PUT /api/users/:id',
        'DELETE /api/users/:id',
      ]),
    );
  });

  it('answers 401 on every route but login without a token or with a bad one', async () => {
    const tokens = await badTokens();
    const failures: string[] = [];
    for (const r of routes.filter((x) => x.path !== LOGIN)) {
      const cases: [string, string | undefined][] = [
        ['none', undefined],
        ...Object.entries(tokens).map(([k, v]): [string, string] => [k, `Bearer ${v}`]),
        ['basic', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ];
      for (const [name, header] of cases) {
        const req = call(r);
        const res = await (header ? req.set('Authorization', header) : req);
        if (res.status !== 401 || res.body.error !== 'Unauthorized') {
          failures.push(`${r.method} ${r.path} [${name}] -> ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('does not let a differently-cased path slip past the guard', async () => {
    await http().get('/API/USERS').expect(401);
    await http().post('/Api/Users').send({}).expect(401);
  });

  it('answers 403 to a viewer on every write route, before validation', async () => {
    const failures: string[] = [];
    for (const r of routes.filter(
      (x) => isWrite(x) && x.path !== LOGIN && !VIEWER_MAY_POST.includes(x.path),
    )) {
      const res = await call(r).set('Authorization', `Bearer ${viewerToken}`).send({});
      if (res.status !== 403 || res.body.error !== 'Forbidden') {
        failures.push(`${r.method} ${r.path} -> ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets a viewer read its own identity but not the user list', async () => {
    const as = authed(http(), viewerToken);
    const me = await as.get('/api/auth/me').expect(200);
    expect(me.body.data).toEqual({
      id: expect.any(String),
      username: expect.any(String),
      role: 'viewer',
    });
    await as.get('/api/users').expect(403);
  });

  it('logs in with the right password and the token works', async () => {
    const res = await http()
      .post(LOGIN)
      .send({ username: admin.username, password: admin.password })
      .expect(200);
    expect(res.body.data).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: t.config.auth.jwtExpiresInS,
    });
    const me = await authed(http(), res.body.data.accessToken).get('/api/auth/me').expect(200);
    expect(me.body.data).toEqual({ id: admin.id, username: admin.username, role: 'admin' });
  });

  it('answers a wrong password and an unknown user alike, in comparable time', async () => {
    const attempt = async (username: string) => {
      const started = performance.now();
      const res = await http().post(LOGIN).send({ username, password: 'wrong-password' });
      return { res, ms: performance.now() - started };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await attempt(admin.username);
      const b = await attempt(`nobody-${i}`);
      for (const { res } of [a, b]) {
        expect(res.status).toBe(401);
        expect(res.body.message).toBe('Invalid username or password');
        expect(Object.keys(res.body).sort()).toEqual(
          ['error', 'message', 'requestId', 'success', 'timestamp'].sort(),
        );
      }
      known.push(a.ms);
      unknown.push(b.ms);
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[2];
    // Without the dummy bcrypt comparison an unknown user answers ~30x faster; allow wide noise.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3);
  });

  it('refuses a password that only matches after bcrypt would truncate it', async () => {
    const long = 'x'.repeat(72);
    const user = await createUser(t.app, 'viewer', undefined, long);
    await http().post(LOGIN).send({ username: user.username, password: long }).expect(200);
    await http()
      .post(LOGIN)
      .send({ username: user.username, password: `${long}-suffix` })
      .expect(401);
  });

  it('rejects malformed login bodies with 400 and field details', async () => {
    const res = await http().post(LOGIN).send({ username: 5, extra: true }).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['username', 'password', 'extra']),
    );
  });

  it('never puts the signing secret, a password or a hash in a response', async () => {
    const as = authed(http(), adminToken);
    const bodies = [
      await http().post(LOGIN).send({ username: admin.username, password: admin.password }),
      await as.get('/api/users'),
      await as.get(`/api/users/${admin.id}`),
      await as
        .post('/api/users')
        .send({ username: 'leak-check', password: 'leak-check-pw', role: 'viewer' }),
    ].map((r) => JSON.stringify(r.body));
    for (const body of bodies) {
      expect(body).not.toContain(TEST_ENV.JWT_SECRET);
      expect(body).not.toContain(admin.password);
      expect(body).not.toContain('leak-check-pw');
      expect(body).not.toMatch(/\$2[aby]\$/);
      expect(body).not.toMatch(/password/i);
    }
  });
});
