import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { RunEventsRelay } from '../../src/events/run-events.relay.js';
import { adminToken, authed } from '../support/auth.js';
import { buildCreateJobDto } from '../support/factories.js';
import { sleep, waitFor } from '../support/scheduler-fixtures.js';
import { SseClient } from '../support/sse.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(90000);

interface Run {
  jobId: string;
  executionId: string;
  status?: string;
  trigger?: string;
}

/**
 * Two replicas on one database: A serves the console and runs nothing (its scheduler is off), B
 * runs the jobs. A's stream shows B's runs (through NOTIFY execution_events); B's stream shows
 * its own runs once, although its own NOTIFYs come back to it.
 */
describe('console event stream across replicas', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  const base = (t: TestApp): string =>
    `http://127.0.0.1:${(t.app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  const open = async (t: TestApp): Promise<SseClient> => {
    const token = await adminToken(t.app);
    const res = await authed(request(t.app.getHttpServer()), token)
      .post('/api/events/ticket')
      .expect(201);
    const stream = await SseClient.open(
      `${base(t)}/api/events?ticket=${res.body.data.ticket as string}`,
    );
    expect(stream.status).toBe(200);
    return stream;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTestApp({ db, env: { REPLICA_ID: 'console-a' } });
    b = await createTestApp({ db, env: { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'runner-b' } });
    await a.app.listen(0, '127.0.0.1');
    await b.app.listen(0, '127.0.0.1');
  }, 60000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it("streams the runs another replica fires, once each, and a replica's own runs once", async () => {
    const onA = await open(a);
    const onB = await open(b);
    expect(a.app.get(RunEventsRelay).listening).toBe(true);
    try {
      const token = await adminToken(a.app);
      const created = await authed(request(a.app.getHttpServer()), token)
        .post('/api/jobs')
        .send(buildCreateJobDto({ name: 'fired-by-b', cronExpression: '* * * * * *' }))
        .expect(201);
      const jobId = created.body.data.id as string;
      const finishedOn = (s: SseClient) =>
        s.of<Run>('execution.finished').filter((e) => e.jobId === jobId);
      await waitFor('three runs of B on A', () => finishedOn(onA).length >= 3, 20000);
      await authed(request(a.app.getHttpServer()), token)
        .put(`/api/jobs/${jobId}`)
        .send({ isActive: false })
        .expect(200);
      await sleep(1500); // the last run's events reach both streams

      const rows = await b.dataSource.query<{ id: string }[]>(
        `SELECT id FROM job_executions WHERE job_id = $1`,
        [jobId],
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const stream of [onA, onB]) {
        const started = stream.of<Run>('execution.started').filter((e) => e.jobId === jobId);
        const finished = finishedOn(stream);
        // Every run B recorded, started and finished exactly once on each stream.
        expect(started.map((e) => e.executionId).sort()).toEqual(rows.map((r) => r.id).sort());
        expect(finished.map((e) => e.executionId).sort()).toEqual(rows.map((r) => r.id).sort());
        expect(started[0]).toMatchObject({ trigger: 'schedule' });
        expect(finished.every((e) => e.status === 'completed')).toBe(true);
      }
    } finally {
      await onA.close();
      await onB.close();
    }
  });

  it("passes on only the known kinds and fields of a NOTIFY, and drops the replica's own", async () => {
    const stream = await open(a);
    try {
      const forged = {
        o: 'somebody-else',
        e: [
          { kind: 'jobs.deleted', data: { jobId: 'x' } },
          {
            kind: 'execution.finished',
            data: {
              jobId: 'j-forged',
              executionId: 'e-forged',
              status: 'completed',
              durationMs: 5,
              attempt: 1,
              secret: 'not for browsers',
            },
          },
        ],
      };
      const own = { ...forged, o: a.app.get(RunEventsRelay).origin };
      await a.dataSource.query(`SELECT pg_notify('execution_events', $1)`, [JSON.stringify(own)]);
      await a.dataSource.query(`SELECT pg_notify('execution_events', $1)`, ['not json']);
      await a.dataSource.query(`SELECT pg_notify('execution_events', $1)`, [
        JSON.stringify(forged),
      ]);
      await waitFor('the forged run', () => stream.of('execution.finished').length > 0, 5000);
      await sleep(300);
      expect(stream.events.map((e) => e.event)).toEqual(['execution.finished']);
      expect(stream.of('execution.finished')).toEqual([
        {
          jobId: 'j-forged',
          executionId: 'e-forged',
          status: 'completed',
          durationMs: 5,
          attempt: 1,
        },
      ]);
    } finally {
      await stream.close();
    }
  });
});
