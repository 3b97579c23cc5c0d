import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { authed, viewerToken } from '../support/auth.js';
import { EventBus } from '../../src/core/events/event-bus.js';
import { FakeSchedulerPort, withFakeScheduler } from '../support/fake-scheduler.js';
import { scrapeMetrics } from '../support/metrics-scrape.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

function fired(trigger: 'schedule' | 'manual', lagMs: number) {
  const scheduledFor = new Date('2030-01-01T00:00:00Z');
  return {
    jobId: '00000000-0000-4000-8000-000000000001',
    executionId: `00000000-0000-4000-8000-${String(lagMs).padStart(12, '0')}`,
    trigger,
    scheduledFor,
    startedAt: new Date(scheduledFor.getTime() + lagMs),
  };
}

describe('GET /metrics', () => {
  const scheduler = new FakeSchedulerPort();
  let t: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { SCHEDULER_ENABLED: 'true' },
      ...withFakeScheduler(scheduler),
    });
    other = await createTestApp({ db: t.db, env: { METRICS_TOKEN } });
  });

  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('moves counters and histograms by exactly what the scheduler reported', async () => {
    const server = t.app.getHttpServer();
    const before = await scrapeMetrics(server);
    const bus = t.app.get(EventBus);
    bus.publish('slot.fired', fired('schedule', 5));
    bus.publish('slot.fired', fired('schedule', 20));
    bus.publish('slot.fired', fired('schedule', 2000));
    bus.publish('slot.fired', fired('manual', 0));
    bus.publish('slot.skipped', {
      jobId: fired('schedule', 0).jobId,
      reason: 'concurrency_forbid',
      scheduledFor: new Date(),
    });
    for (const [status, targetType, durationMs] of [
      ['completed', 'http', 150],
      ['completed', 'http', 250],
      ['failed', 'handler', 3000],
    ] as const) {
      bus.publish('execution.finished', {
        jobId: 'j',
        executionId: 'e',
        status,
        targetType,
        durationMs,
        attempt: 1,
      });
    }
    bus.publish('retry.scheduled', { jobId: 'j', attempt: 2, runAt: new Date() });
    const after = await scrapeMetrics(server);
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      after.value(name, labels) - before.value(name, labels);

    expect(delta('scheduler_firings_total', { trigger: 'schedule' })).toBe(3);
    expect(delta('scheduler_firings_total', { trigger: 'manual' })).toBe(1);
    expect(delta('scheduler_skipped_firings_total', { reason: 'concurrency_forbid' })).toBe(1);
    const lag = { trigger: 'schedule' };
    expect(delta('scheduler_firing_lag_seconds_count', lag)).toBe(3);
    expect(delta('scheduler_firing_lag_seconds_bucket', { ...lag, le: '0.001' })).toBe(0);
    expect(delta('scheduler_firing_lag_seconds_bucket', { ...lag, le: '0.005' })).toBe(1);
    expect(delta('scheduler_firing_lag_seconds_bucket', { ...lag, le: '0.025' })).toBe(2);
    expect(delta('scheduler_firing_lag_seconds_bucket', { ...lag, le: '1' })).toBe(2);
    expect(delta('scheduler_firing_lag_seconds_bucket', { ...lag, le: '2.5' })).toBe(3);
    expect(delta('scheduler_firing_lag_seconds_sum', lag)).toBeCloseTo(2.025, 6);
    const http = { status: 'completed', target_type: 'http' };
    expect(delta('scheduler_executions_total', http)).toBe(2);
    expect(delta('scheduler_executions_total', { status: 'failed', target_type: 'handler' })).toBe(
      1,
    );
    expect(delta('scheduler_execution_duration_seconds_count', http)).toBe(2);
    expect(delta('scheduler_execution_duration_seconds_sum', http)).toBeCloseTo(0.4, 6);
    expect(delta('scheduler_execution_duration_seconds_bucket', { ...http, le: '0.1' })).toBe(0);
    expect(delta('scheduler_execution_duration_seconds_bucket', { ...http, le: '0.25' })).toBe(2);
    expect(delta('scheduler_retries_total')).toBe(1);
  });

  it('keeps the figures of each app apart (one registry per app)', async () => {
    const before = await scrapeMetrics(other.app.getHttpServer(), METRICS_TOKEN);
    t.app.get(EventBus).publish('retry.scheduled', { jobId: 'j', attempt: 2, runAt: new Date() });
    const after = await scrapeMetrics(other.app.getHttpServer(), METRICS_TOKEN);
    expect(after.value('scheduler_retries_total')).toBe(before.value('scheduler_retries_total'));
  });

  it('reads scheduler gauges from the scheduler port and counts active jobs in SQL', async () => {
    scheduler.current = {
      ...scheduler.current,
      registeredTimers: 7,
      runningExecutions: 2,
      heartbeatAgeMs: 1500,
      listening: false,
    };
    const m = await scrapeMetrics(t.app.getHttpServer());
    expect(m.value('scheduler_registered_timers')).toBe(7);
    expect(m.value('scheduler_running_executions')).toBe(2);
    expect(m.value('scheduler_heartbeat_age_seconds')).toBe(1.5);
    expect(m.value('scheduler_listen_connected')).toBe(0);
    expect(m.value('scheduler_active_jobs')).toBe(0);
    expect(m.has('process_cpu_user_seconds_total')).toBe(true);
    expect(m.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('labels HTTP durations by route template, never by raw URL', async () => {
    const server = t.app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await request(server).get('/api/no-such-thing/123?x=1').expect(404);
    await request(server).get('/api/no-such-thing/456').expect(404);
    const m = await scrapeMetrics(server);
    const http = m.samples.filter((s) => s.name === 'http_request_duration_seconds_count');
    expect(
      m.value('http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health/live',
        status_code: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      m.value('http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }),
    ).toBe(2);
    expect(http.some((s) => /123|456|no-such-thing|\?/.test(s.labels.route))).toBe(false);
  });

  it('requires the bearer token when METRICS_TOKEN is set, answering 401 in the envelope', async () => {
    const server = other.app.getHttpServer();
    const missing = await request(server).get('/metrics').expect(401);
    expect(missing.body).toMatchObject({ success: false, error: 'Unauthorized' });
    await request(server).get('/metrics').set('Authorization', 'Bearer wrong-token').expect(401);
    await request(server)
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
  });

  it('serves /api/stats/system with runtime, scheduler, firing lag and queue figures', async () => {
    const token = await viewerToken(t.app);
    const res = await authed(request(t.app.getHttpServer()), token)
      .get('/api/stats/system')
      .expect(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({
      uptime: expect.any(Number),
      memory: { rss: expect.any(Number), heapUsed: expect.any(Number) },
      platform: process.platform,
      nodeVersion: process.version,
      scheduler: { enabled: true, registeredTimers: 7, runningExecutions: 2 },
      firingLag: { samples: 3, p50Ms: 20, p99Ms: 2000 },
      queue: { activeJobs: 0, dueNow: 0 },
    });
  });
});
