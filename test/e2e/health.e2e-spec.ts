import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { LifecycleService } from '../../src/health/lifecycle.service.js';
import { FakeSchedulerPort, withFakeScheduler } from '../support/fake-scheduler.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('health probes', () => {
  describe('with the scheduler disabled (API-only replica)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });

    afterAll(async () => {
      await t?.close();
    });

    it('answers GET /health in the original shape, unwrapped', async () => {
      const res = await request(t.app.getHttpServer()).get('/health').expect(200);
      expect(res.body).toEqual({
        status: 'healthy',
        timestamp: expect.any(String),
        uptime: expect.any(Number),
        services: {
          database: { status: 'up', latency: expect.any(Number) },
          scheduler: { status: 'disabled', activeJobs: 0, runningExecutions: 0 },
        },
        memory: {
          rss: expect.any(Number),
          heapTotal: expect.any(Number),
          heapUsed: expect.any(Number),
        },
      });
    });

    it('is ready: lifecycle, database, migrations and scheduler are all up', async () => {
      const res = await request(t.app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
      expect(Object.keys(res.body.details).sort()).toEqual([
        'database',
        'lifecycle',
        'migrations',
        'scheduler',
      ]);
      expect(res.body.details.scheduler).toMatchObject({ status: 'up', state: 'disabled' });
    });

    it('is live, with event-loop figures', async () => {
      const res = await request(t.app.getHttpServer()).get('/health/live').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        details: { eventLoop: { status: 'up', maxDelayMs: expect.any(Number) } },
      });
    });
  });

  describe('with the scheduler enabled', () => {
    const scheduler = new FakeSchedulerPort();
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: { SCHEDULER_ENABLED: 'true' },
        ...withFakeScheduler(scheduler),
      });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('is not ready until the scheduler has started, and /health says degraded', async () => {
      const server = t.app.getHttpServer();
      scheduler.current = { ...scheduler.current, started: false };
      const ready = await request(server).get('/health/ready').expect(503);
      expect(ready.body.status).toBe('error');
      expect(ready.body.error.scheduler).toMatchObject({ status: 'down', state: 'starting' });
      const legacy = await request(server).get('/health').expect(503);
      expect(legacy.body).toMatchObject({
        status: 'degraded',
        services: { database: { status: 'up' }, scheduler: { status: 'starting' } },
      });
      await request(server).get('/health/live').expect(200);

      scheduler.current = { ...scheduler.current, started: true, runningExecutions: 3 };
      await request(server).get('/health/ready').expect(200);
      const healthy = await request(server).get('/health').expect(200);
      expect(healthy.body.services.scheduler).toEqual({
        status: 'running',
        activeJobs: 0,
        runningExecutions: 3,
      });
    });

    it('is not ready while the scheduler drains', async () => {
      scheduler.current = { ...scheduler.current, started: true, draining: true };
      const res = await request(t.app.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.error.scheduler.state).toBe('draining');
      scheduler.current = { ...scheduler.current, draining: false };
    });

    it('turns readiness to 503 first on shutdown while liveness stays 200', async () => {
      const server = t.app.getHttpServer();
      await request(server).get('/health/ready').expect(200);
      t.app.get(LifecycleService).beforeApplicationShutdown();
      const res = await request(server).get('/health/ready').expect(503);
      expect(res.body.error.lifecycle).toMatchObject({ status: 'down', phase: 'shutting_down' });
      await request(server).get('/health/live').expect(200);
    });
  });
});
