import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import {
  executionsOf,
  insertJobRow,
  sleep,
  waitFor,
  ignorePoolError,
} from '../support/scheduler-fixtures.js';
import { createTestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

jest.setTimeout(90000);

const EVERY = 2000;

/** The every-2-seconds slots strictly between two executed slots that have no execution. */
function gapSlots(executed: number[]): number[] {
  const sorted = [...new Set(executed)].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let t = sorted[0]; t <= sorted[sorted.length - 1]; t += EVERY) {
    if (!sorted.includes(t)) {
      missing.push(t);
    }
  }
  return missing;
}

describe('Misfire policies after downtime', () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  const ids: Record<'fire_once' | 'skip' | 'fire_all', string> = {
    fire_once: '',
    skip: '',
    fire_all: '',
  };
  let downFrom = 0;
  let downUntil = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 }).on('error', ignorePoolError);
    const env = { SCHEDULER_ENABLED: 'true', REPLICA_ID: 'only' };
    const first = await createTestApp({ db, env });
    for (const policy of ['fire_once', 'skip', 'fire_all'] as const) {
      ids[policy] = await insertJobRow(sql, {
        cronExpression: '*/2 * * * * *',
        misfirePolicy: policy,
      });
    }
    await waitFor('a run of every job', async () => {
      const counts = await Promise.all(Object.values(ids).map((id) => executionsOf(sql, id)));
      return counts.every((c) => c.length >= 1);
    });
    await first.close();
    downFrom = Date.now();
    await sleep(9000);
    downUntil = Date.now();
    const second = await createTestApp({ db, env });
    await sleep(4500);
    await second.close();
  });

  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  async function slotsOf(id: string): Promise<number[]> {
    return (await executionsOf(sql, id)).map((r) => (r.scheduled_for as Date).getTime());
  }

  it('fire_all runs every slot missed while no replica was up', async () => {
    const slots = await slotsOf(ids.fire_all);
    expect(gapSlots(slots)).toEqual([]);
    const inDowntime = slots.filter((s) => s > downFrom && s < downUntil);
    expect(inDowntime.length).toBeGreaterThanOrEqual(3);
  });

  it('fire_once runs one catch-up for the missed slots, then continues on schedule', async () => {
    const slots = await slotsOf(ids.fire_once);
    const inDowntime = slots.filter((s) => s > downFrom && s < downUntil);
    expect(inDowntime).toHaveLength(1);
    const missing = gapSlots(slots);
    expect(missing.length).toBeGreaterThanOrEqual(2);
    // The catch-up stands for the first missed slot; the others are coalesced into it.
    expect(inDowntime[0]).toBeLessThan(Math.min(...missing));
    expect(slots.some((s) => s >= downUntil)).toBe(true);
  });

  it('skip runs none of the missed slots and counts them as skipped', async () => {
    const slots = await slotsOf(ids.skip);
    expect(slots.filter((s) => s > downFrom && s < downUntil)).toEqual([]);
    const missing = gapSlots(slots);
    expect(missing.length).toBeGreaterThanOrEqual(3);
    const { rows } = await sql.query(`SELECT skipped_runs FROM jobs WHERE id = $1`, [ids.skip]);
    expect(rows[0].skipped_runs).toBe(missing.length);
    expect(slots.some((s) => s >= downUntil)).toBe(true);
  });
});
