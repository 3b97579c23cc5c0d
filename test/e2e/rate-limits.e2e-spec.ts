import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { adminToken, viewerToken } from '../support/auth.js';
import { insertJob } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The @nestjs/throttler setup: per IP for unauthenticated requests (THROTTLE_LIMIT), per user
 * for authenticated ones (THROTTLE_USER_LIMIT), and the trigger budget on top
 * (THROTTLE_TRIGGER_LIMIT). Each test uses its own addresses and users, so counters never mix.
 */
describe('rate limits (@nestjs/throttler)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        THROTTLE_LIMIT: '3',
        THROTTLE_TTL_MS: '60000',
        THROTTLE_USER_LIMIT: '5',
        THROTTLE_USER_TTL_MS: '60000',
        THROTTLE_TRIGGER_LIMIT: '2',
        THROTTLE_TRIGGER_TTL_MS: '60000',
        TRUST_PROXY: 'true',
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const http = () => request(t.app.getHttpServer());
  const login = (ip: string) =>
    http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ username: 'nobody', password: 'wrong-password' });
  const as = (ip: string, token: string) => ({
    get: (url: string) =>
      http().get(url).set('X-Forwarded-For', ip).set('Authorization', `Bearer ${token}`),
    post: (url: string) =>
      http().post(url).set('X-Forwarded-For', ip).set('Authorization', `Bearer ${token}`),
  });

  function expectRefusal(res: request.Response, ttlS: number): void {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({
      success: false,
      error: 'Too Many Requests',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(ttlS);
  }

  it('limits login per client address, before any password is checked', async () => {
    for (let i = 0; i < 3; i++) {
      await login('203.0.113.10').expect(401);
    }
    const refused = await login('203.0.113.10');
    expectRefusal(refused, 60);
    // A bad token is no way around it: it counts against the address like no token.
    await http()
      .get('/api/jobs')
      .set('X-Forwarded-For', '203.0.113.10')
      .set('Authorization', 'Bearer not.a.token')
      .expect(429);
    // Another address has its own budget.
    await login('203.0.113.11').expect(401);
  });

  it('does not hold an address limit against signed-in users behind that address', async () => {
    for (let i = 0; i < 4; i++) {
      await login('203.0.113.20');
    }
    await login('203.0.113.20').expect(429);
    const res = await as('203.0.113.20', await viewerToken(t.app))
      .get('/api/jobs')
      .expect(200);
    expect(res.headers['x-ratelimit-limit-user']).toBe('5');
  });

  it('limits a signed-in user per user, whatever address they come from', async () => {
    const token = await viewerToken(t.app);
    for (let i = 0; i < 5; i++) {
      const res = await as(`198.51.100.${i}`, token).get('/api/jobs').expect(200);
      expect(res.headers['x-ratelimit-remaining-user']).toBe(String(4 - i));
    }
    expectRefusal(await as('198.51.100.99', token).get('/api/jobs'), 60);
    // A refusal is not counted, and another user at the same address is unaffected.
    await as('198.51.100.99', await viewerToken(t.app))
      .get('/api/jobs')
      .expect(200);
  });

  it('limits manual triggers per caller on their own budget; a refused trigger runs nothing', async () => {
    const jobId = await insertJob(t.dataSource, { concurrencyPolicy: 'allow' });
    const admin = as('192.0.2.1', await adminToken(t.app));
    await admin.post(`/api/jobs/${jobId}/trigger`).expect(202);
    await admin.post(`/api/jobs/${jobId}/trigger`).expect(202);
    expectRefusal(await admin.post(`/api/jobs/${jobId}/trigger`), 60);
    // The same caller's other requests still have room under the per-user budget.
    await admin.get(`/api/jobs/${jobId}`).expect(200);
    const rows: { n: number }[] = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM job_executions WHERE job_id = $1',
      [jobId],
    );
    expect(rows[0].n).toBe(2);
    // Another admin triggers on their own budget.
    await as('192.0.2.1', await adminToken(t.app))
      .post(`/api/jobs/${jobId}/trigger`)
      .expect(202);
  });

  it('never limits health, metrics or docs', async () => {
    for (let i = 0; i < 6; i++) {
      await http().get('/health/live').set('X-Forwarded-For', '203.0.113.10').expect(200);
      await http().get('/metrics').set('X-Forwarded-For', '203.0.113.10').expect(200);
    }
    await http().get('/api-docs-json').set('X-Forwarded-For', '203.0.113.10').expect(200);
  });
});

describe('client address without TRUST_PROXY', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { THROTTLE_LIMIT: '3', TRUST_PROXY: 'false' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('ignores X-Forwarded-For, so rotating it does not reset the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(t.app.getHttpServer())
        .get('/api/jobs')
        .set('X-Forwarded-For', `198.51.100.${i}`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
