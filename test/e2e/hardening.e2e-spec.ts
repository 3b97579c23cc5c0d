import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Roles } from '../../src/auth/roles.decorator.js';
import { TriggerThrottle } from '../../src/auth/throttle.decorators.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { adminToken, authed, viewerToken } from '../support/auth.js';
import { createTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/** Stands in for the job trigger routes, which live in another module. */
@Controller('api/test-probe')
class ProbeController {
  @Post('trigger')
  @TriggerThrottle()
  trigger(): { fired: true } {
    return { fired: true };
  }

  @Post('open')
  @Roles('viewer', 'admin')
  open(): { ok: true } {
    return { ok: true };
  }

  @Get()
  read(): { ok: true } {
    return { ok: true };
  }
}

async function probeApp(db: TestDatabase, env: Record<string, string>): Promise<INestApplication> {
  const config = loadConfig({ ...TEST_ENV, ...env, DB_CONNECTION_STRING: db.url });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config)],
    controllers: [ProbeController],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false });
  configureApp(app, config);
  return app.init();
}

describe('rate limits', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await probeApp(db, {
      THROTTLE_LIMIT: '6',
      THROTTLE_TTL_MS: '60000',
      THROTTLE_TRIGGER_LIMIT: '2',
      THROTTLE_TRIGGER_TTL_MS: '60000',
      TRUST_PROXY: 'true',
    });
    token = await adminToken(app);
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const from = (ip: string) => ({
    get: (url: string) =>
      request(app.getHttpServer())
        .get(url)
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${token}`),
    post: (url: string) =>
      request(app.getHttpServer())
        .post(url)
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${token}`),
  });

  it('answers 429 with Retry-After once a client passes the API limit', async () => {
    const client = from('203.0.113.1');
    for (let i = 0; i < 6; i++) {
      await client.get('/api/test-probe').expect(200);
    }
    const res = await client.get('/api/test-probe').expect(429);
    expect(res.body).toMatchObject({ success: false, error: 'Too Many Requests' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The limit spans the whole API, login included, and a refusal comes before authentication.
    await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.1')
      .send({ username: 'x', password: 'y' })
      .expect(429);
  });

  it('counts each client separately and never limits health or docs', async () => {
    await from('203.0.113.2').get('/api/test-probe').expect(200);
    for (let i = 0; i < 10; i++) {
      await request(app.getHttpServer())
        .get('/health')
        .set('X-Forwarded-For', '203.0.113.1')
        .expect(200);
    }
    await request(app.getHttpServer())
      .get('/api-docs-json')
      .set('X-Forwarded-For', '203.0.113.1')
      .expect(200);
  });

  it('limits trigger routes on their own, tighter limiter', async () => {
    const client = from('203.0.113.3');
    await client.post('/api/test-probe/trigger').expect(201);
    await client.post('/api/test-probe/trigger').expect(201);
    const res = await client.post('/api/test-probe/trigger').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Other routes still have room under the default limiter.
    await client.get('/api/test-probe').expect(200);
  });
});

describe('default role rule on an undecorated route', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await probeApp(db, {});
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('lets a viewer read, refuses it a write nobody decorated, and honours @Roles', async () => {
    const viewer = authed(request(app.getHttpServer()), await viewerToken(app));
    await viewer.get('/api/test-probe').expect(200);
    const res = await viewer.post('/api/test-probe/trigger').expect(403);
    expect(res.body).toMatchObject({ success: false, error: 'Forbidden' });
    await viewer.post('/api/test-probe/open').expect(201);
    const admin = authed(request(app.getHttpServer()), await adminToken(app));
    await admin.post('/api/test-probe/trigger').expect(201);
  });
});

describe('client address without TRUST_PROXY', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await probeApp(db, { THROTTLE_LIMIT: '3', TRUST_PROXY: 'false' });
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('ignores X-Forwarded-For, so rotating it does not reset the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(app.getHttpServer())
        .get('/api/test-probe')
        .set('X-Forwarded-For', `198.51.100.${i}`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('HTTP hardening', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ALLOWED_ORIGINS: 'https://good.example' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const http = () => request(t.app.getHttpServer());

  it('sends helmet headers on API and health responses', async () => {
    for (const res of [await http().get('/api/auth/me'), await http().get('/health')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('allows a listed origin with credentials and gives a disallowed one no allow header', async () => {
    const good = await http()
      .options('/api/auth/login')
      .set('Origin', 'https://good.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(good.headers['access-control-allow-origin']).toBe('https://good.example');
    expect(good.headers['access-control-allow-credentials']).toBe('true');
    const evil = await http()
      .options('/api/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await http().get('/health').set('Origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 413 in the envelope to a body over BODY_LIMIT', async () => {
    const res = await http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'a', password: 'x'.repeat(1024 * 1024 + 10) }))
      .expect(413);
    expect(res.body).toMatchObject({ success: false, error: 'Payload Too Large' });
  });

  it('answers 400 to malformed JSON and to absurdly deep JSON, never 500', async () => {
    const bad = await http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": ')
      .expect(400);
    expect(bad.body).toMatchObject({ success: false, error: 'Validation Error' });
    const deep = `{"username":${'['.repeat(100000)}${']'.repeat(100000)},"password":"x"}`;
    const res = await http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(deep)
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'body', message: expect.stringMatching(/nested/) }]);
  });

  it('answers 400, not 500, to NUL characters PostgreSQL cannot store', async () => {
    const body = await http()
      .post('/api/auth/login')
      .send({ username: 'admin\u0000', password: 'x' })
      .expect(400);
    expect(body.body.details).toEqual([
      { field: 'username', message: expect.stringMatching(/NUL/) },
    ]);
    await http().get('/api/auth/me?x=%00').expect(400);
  });

  it('marks the bearer scheme as the default security in the OpenAPI document', async () => {
    const doc = (await http().get('/api-docs-json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/auth/login'].post.security).toEqual([{}]);
    expect(doc.paths['/api/users'].get.security).toEqual([{ bearer: [] }]);
  });
});
