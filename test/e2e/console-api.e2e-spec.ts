import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { EventBus } from '../../src/core/events/event-bus.js';
import { Clock } from '../../src/core/time/clock.js';
import { LiveEventsService } from '../../src/events/live-events.service.js';
import { adminToken, authed, viewerToken } from '../support/auth.js';
import { buildCreateJobDto, insertExecution, insertJob } from '../support/factories.js';
import { sleep, waitFor } from '../support/scheduler-fixtures.js';
import { SseClient } from '../support/sse.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const NOW = new Date('2026-06-01T12:00:30.000Z');
const at = (hhmmss: string): Date => new Date(`2026-06-01T${hhmmss}.000Z`);
const pinned = { now: () => new Date(NOW), nowMs: () => NOW.getTime() };

/** The aggregates the console's overview reads, against a pinned clock and hand-made rows. */
describe('console aggregates', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ override: (b) => b.overrideProvider(Clock).useValue(pinned) });
    token = await viewerToken(t.app);
  });

  afterAll(async () => {
    await t?.close();
  });

  const api = () => authed(request(t.app.getHttpServer()), token);

  it('counts runs, failures and the firing lag p99 per minute over the last hour', async () => {
    const a = await insertJob(t.dataSource);
    const b = await insertJob(t.dataSource);
    const rows = [
      { jobId: a, startedAt: at('11:30:10'), scheduledFor: at('11:30:00') },
      { jobId: b, startedAt: at('11:30:20'), scheduledFor: at('11:30:19'), status: 'failed' },
      { jobId: a, startedAt: at('11:30:40'), trigger: 'manual', status: 'timeout' },
      { jobId: a, startedAt: at('11:59:59'), scheduledFor: at('11:59:59') },
      { jobId: b, startedAt: at('10:00:00'), status: 'failed' }, // before the window
      { jobId: b, startedAt: at('12:01:30'), status: 'failed' }, // after it
    ] as const;
    for (const row of rows) {
      await insertExecution(t.dataSource, { ...row });
    }

    const res = await api().get('/api/executions/activity?hours=1&bucketMinutes=1').expect(200);
    const data = res.body.data;
    expect(data.from).toBe('2026-06-01T11:01:00.000Z');
    expect(data.to).toBe('2026-06-01T12:01:00.000Z');
    expect(data.bucketSeconds).toBe(60);
    expect(data.buckets).toHaveLength(60);
    const busy = data.buckets.filter((x: { firings: number }) => x.firings > 0);
    expect(busy).toEqual([
      { at: '2026-06-01T11:30:00.000Z', firings: 3, failures: 2, lagMsP99: 10000 },
      { at: '2026-06-01T11:59:00.000Z', firings: 1, failures: 0, lagMsP99: 0 },
    ]);
    expect(data.buckets[0]).toEqual({
      at: '2026-06-01T11:01:00.000Z',
      firings: 0,
      failures: 0,
      lagMsP99: null,
    });
    expect(data.totals).toEqual({ firings: 4, failures: 2, failingJobs: 2 });

    // The settled minutes are now held by this replica; a run recorded since in the open minute
    // still counts, and deleting a job (its runs go with it) is seen at once.
    await insertExecution(t.dataSource, { jobId: b, startedAt: at('12:00:05'), status: 'failed' });
    const again = (await api().get('/api/executions/activity?hours=1&bucketMinutes=1').expect(200))
      .body.data;
    expect(again.totals).toEqual({ firings: 5, failures: 3, failingJobs: 2 });
    const admin = authed(request(t.app.getHttpServer()), await adminToken(t.app));
    await admin.delete(`/api/jobs/${b}`).expect(200);
    await waitFor('the deleted job’s runs gone from the activity', async () => {
      const after = (await api().get('/api/executions/activity?hours=1&bucketMinutes=1'))
        .body.data;
      return after.totals.firings === 3 && after.totals.failingJobs === 1;
    });
    const after = (await api().get('/api/executions/activity?hours=1&bucketMinutes=1').expect(200))
      .body.data;
    expect(after.totals).toEqual({ firings: 3, failures: 1, failingJobs: 1 });
  });

  it('rejects a window out of range with a 400 per field', async () => {
    const res = await api().get('/api/executions/activity?hours=0&bucketMinutes=61').expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'bucketMinutes',
      'hours',
    ]);
  });

  it("lists the soonest slots of all active jobs in the next hour, in each job's zone", async () => {
    await t.dataSource.query('DELETE FROM jobs');
    const every20 = await insertJob(t.dataSource, {
      name: 'every-20-min',
      jobType: 'recurring',
      cronExpression: null,
      intervalMs: 20 * 60_000,
      nextRunAt: at('12:10:00'),
    });
    const quarter = await insertJob(t.dataSource, {
      name: 'quarter-hours-ny',
      cronExpression: '*/15 * * * *',
      timezone: 'America/New_York',
      nextRunAt: at('12:15:00'),
    });
    await insertJob(t.dataSource, {
      name: 'one-shot',
      jobType: 'delayed',
      cronExpression: null,
      runAt: at('12:40:00'),
      nextRunAt: at('12:40:00'),
    });
    await insertJob(t.dataSource, { name: 'inactive', isActive: false, nextRunAt: at('12:05:00') });
    await insertJob(t.dataSource, { name: 'later', nextRunAt: at('14:00:00') });

    const res = await api().get('/api/jobs/upcoming?withinMinutes=60').expect(200);
    const tie =
      every20 < quarter
        ? ['every-20-min', 'quarter-hours-ny']
        : ['quarter-hours-ny', 'every-20-min'];
    expect(res.body.data.to).toBe('2026-06-01T13:00:30.000Z');
    expect(
      res.body.data.slots.map((s: { at: string; jobName: string }) => [
        s.at.slice(11, 16),
        s.jobName,
      ]),
    ).toEqual([
      ['12:10', 'every-20-min'],
      ['12:15', 'quarter-hours-ny'],
      ['12:30', tie[0]],
      ['12:30', tie[1]],
      ['12:40', 'one-shot'],
      ['12:45', 'quarter-hours-ny'],
      ['12:50', 'every-20-min'],
      ['13:00', 'quarter-hours-ny'],
    ]);
    const ny = res.body.data.slots.find(
      (s: { jobName: string }) => s.jobName === 'quarter-hours-ny',
    );
    expect(ny).toMatchObject({
      timezone: 'America/New_York',
      local: '2026-06-01T08:15:00.000-04:00',
    });

    const three = await api().get('/api/jobs/upcoming?withinMinutes=60&limit=3').expect(200);
    expect(three.body.data.slots.map((s: { at: string }) => s.at.slice(11, 16))).toEqual([
      '12:10',
      '12:15',
      '12:30',
    ]);
    const bad = await api().get('/api/jobs/upcoming?limit=501').expect(400);
    expect(bad.body.details[0].field).toBe('limit');
  });
});

/** GET /api/events: tickets, live events from the running scheduler, and no leaks. */
describe('console event stream', () => {
  let t: TestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'events' } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    token = await adminToken(t.app);
  }, 60000);

  afterAll(async () => {
    await t?.close();
  });

  const api = () => authed(request(t.app.getHttpServer()), token);
  const ticket = async (): Promise<string> =>
    (await api().post('/api/events/ticket').expect(201)).body.data.ticket as string;

  it('refuses a missing, forged, reused ticket and an access token', async () => {
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    expect((await fetch(`${base}/api/events?ticket=${'x'.repeat(2049)}`)).status).toBe(400);
    expect((await fetch(`${base}/api/events?ticket=forged.ticket.value`)).status).toBe(401);
    expect((await fetch(`${base}/api/events?ticket=${token}`)).status).toBe(401);
    expect((await request(t.app.getHttpServer()).post('/api/events/ticket')).status).toBe(401);
    const once = await ticket();
    const first = await SseClient.open(`${base}/api/events?ticket=${once}`);
    expect(first.status).toBe(200);
    expect(first.contentType).toContain('text/event-stream');
    const again = await SseClient.open(`${base}/api/events?ticket=${once}`);
    expect(again.status).toBe(401);
    await first.close();
  });

  it('streams job changes and the runs of an every-second job as they happen', async () => {
    const stream = await SseClient.open(`${base}/api/events?ticket=${await ticket()}`);
    try {
      const created = await api()
        .post('/api/jobs')
        .send(buildCreateJobDto({ cronExpression: '* * * * * *', timezone: 'UTC' }))
        .expect(201);
      const id: string = created.body.data.id;
      await waitFor('a finished run on the stream', () =>
        stream.of<{ jobId: string }>('execution.finished').find((e) => e.jobId === id),
      );
      expect(
        stream.of<{ jobIds: string[] }>('jobs.changed').some((e) => e.jobIds.includes(id)),
      ).toBe(true);
      const started = stream.of<{ jobId: string; trigger: string }>('execution.started');
      expect(started.find((e) => e.jobId === id)).toMatchObject({ trigger: 'schedule' });
      const finished = stream.of<{ jobId: string; status: string }>('execution.finished');
      expect(finished.find((e) => e.jobId === id)).toMatchObject({ status: 'completed' });
      await api().delete(`/api/jobs/${id}`).expect(200);
    } finally {
      await stream.close();
    }
  }, 30000);

  it('leaves no stream or bus listener behind after many streams open and close', async () => {
    const live = t.app.get(LiveEventsService);
    const bus = t.app.get(EventBus);
    const kinds = ['jobs.changed', 'slot.fired', 'execution.finished'] as const;
    // The earlier tests' streams are gone once the server has seen their sockets close.
    await waitFor('earlier streams to close', () => live.openStreams === 0, 5000);
    const busBefore = kinds.map((k) => bus.listenerCount(k));
    const openBefore = live.openStreams;
    const streams: SseClient[] = [];
    for (let i = 0; i < 40; i++) {
      streams.push(await SseClient.open(`${base}/api/events?ticket=${await ticket()}`));
    }
    expect(streams.every((s) => s.status === 200)).toBe(true);
    await waitFor('the streams to open', () => live.openStreams === openBefore + 40, 5000);
    expect(live.openStreams).toBe(openBefore + 40);
    expect(kinds.map((k) => bus.listenerCount(k))).toEqual(busBefore);
    await Promise.all(streams.map((s) => s.close()));
    await waitFor('the streams to close', () => live.openStreams === openBefore, 5000);
    await sleep(50);
    expect(live.openStreams).toBe(openBefore);
    expect(kinds.map((k) => bus.listenerCount(k))).toEqual(busBefore);
  });
});
