import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('foundation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT: '2kb' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('reports the database as up on GET /health', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'healthy', services: { database: { status: 'up' } } });
    expect(typeof res.body.services.database.latency).toBe('number');
  });

  it('answers an unknown route with the 404 error envelope and a request id', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/api/does-not-exist')
      .set('X-Request-Id', 'req-abc-123')
      .expect(404);
    expect(res.body).toEqual({
      success: false,
      error: 'Not Found',
      message: expect.any(String),
      timestamp: expect.any(String),
      requestId: 'req-abc-123',
    });
    expect(res.headers['x-request-id']).toBe('req-abc-123');
  });

  it('records the applied migrations in the database it was given', async () => {
    const rows = await t.dataSource.query<{ name: string }[]>(
      `SELECT name FROM typeorm_migrations`,
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('answers malformed JSON with 400, its own message and a request id', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect(res.body).toMatchObject({
      success: false,
      error: 'Validation Error',
      message: 'Request body is not valid JSON',
      requestId: expect.any(String),
    });
  });

  it('answers a body over BODY_LIMIT with 413 and a request id, before any handler runs', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(4096), password: 'y' }))
      .expect(413);
    expect(res.body).toMatchObject({
      error: 'Payload Too Large',
      message: 'Request body is larger than the allowed limit',
      requestId: expect.any(String),
    });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });
});
