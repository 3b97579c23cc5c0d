import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Roles } from '../../src/auth/roles.decorator.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { adminToken, authed, viewerToken } from '../support/auth.js';
import { createTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/** An undecorated write route, a write opened to viewers, and a read. */
@Controller('api/test-probe')
class ProbeController {
  @Post('trigger')
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
