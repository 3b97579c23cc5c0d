import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import pg from 'pg';
import { scrapeMetrics } from '../support/metrics-scrape.js';
import { insertJobRow, sleep, waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Metrics driven by the real engine: the counters must agree with the execution rows. */
describe('metrics after real firings', () => {
  let t: TestApp;
  let client: pg.Client;

  beforeAll(async () => {
    t = await createTestApp({ env: { SCHEDULER_ENABLED: 'true' } });
    client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await t.close();
  });

  it('counts firings, lag and outcomes exactly as many as the executions recorded', async () => {
    const server = t.app.getHttpServer() as Server;
    const before = await scrapeMetrics(server);
    const id = await insertJobRow(client, { cronExpression: '* * * * * *' });
    await waitFor('three completed runs', async () => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM job_executions WHERE job_id = $1 AND status = 'completed'`,
        [id],
      );
      return rows[0].n >= 3;
    });
    await client.query(`UPDATE jobs SET is_active = false WHERE id = $1`, [id]);
    // Let a firing that was already claimed finish before reading both sides.
    await sleep(1500);
    const { rows } = await client.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM job_executions WHERE job_id = $1 GROUP BY status`,
      [id],
    );
    const runs = rows.reduce((sum, r) => sum + r.n, 0);
    const completed = rows.find((r) => r.status === 'completed')?.n ?? 0;
    const after = await scrapeMetrics(server);
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      after.value(name, labels) - before.value(name, labels);

    expect(runs).toBeGreaterThanOrEqual(3);
    expect(delta('scheduler_firings_total', { trigger: 'schedule' })).toBe(runs);
    expect(delta('scheduler_firing_lag_seconds_count', { trigger: 'schedule' })).toBe(runs);
    expect(
      delta('scheduler_executions_total', { status: 'completed', target_type: 'handler' }),
    ).toBe(completed);
    expect(
      delta('scheduler_execution_duration_seconds_count', {
        status: 'completed',
        target_type: 'handler',
      }),
    ).toBe(completed);
    // The deactivated job's timer is gone from this replica's registry.
    expect(after.has('scheduler_registered_timers')).toBe(true);
    expect(after.value('scheduler_registered_timers')).toBe(0);
  });
});
