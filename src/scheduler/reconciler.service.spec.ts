import { describe, expect, it } from '@jest/globals';
import { repairedNextRunAt } from './reconciler.service.js';
import type { JobSlotRow } from './scheduler.types.js';

const now = new Date('2026-03-01T10:00:00.500Z');
const row = (over: Partial<JobSlotRow>): JobSlotRow => ({
  id: 'j',
  isActive: true,
  nextRunAt: null,
  jobType: 'scheduled',
  cronExpression: '*/10 * * * * *',
  timezone: 'UTC',
  intervalMs: null,
  runAt: null,
  misfirePolicy: 'fire_once',
  updatedAt: now,
  ...over,
});

describe('repairedNextRunAt', () => {
  it('fills a missing next_run_at with the first slot', () => {
    expect(repairedNextRunAt(row({}), now)).toEqual(new Date('2026-03-01T10:00:10.000Z'));
    expect(repairedNextRunAt(row({ jobType: 'immediate', cronExpression: null }), now)).toEqual(
      now,
    );
  });

  it('keeps a coherent future slot and a past (due) one', () => {
    expect(
      repairedNextRunAt(row({ nextRunAt: new Date('2026-03-01T10:00:10Z') }), now),
    ).toBeUndefined();
    expect(
      repairedNextRunAt(row({ nextRunAt: new Date('2026-03-01T09:00:00Z') }), now),
    ).toBeUndefined();
  });

  it('repairs a future slot left over from a cron changed by hand', () => {
    const stale = row({ nextRunAt: new Date('2027-01-01T00:00:00Z') });
    expect(repairedNextRunAt(stale, now)).toEqual(new Date('2026-03-01T10:00:10.000Z'));
  });

  it('accepts an interval slot up to one interval ahead and repairs a farther one', () => {
    const interval = { jobType: 'recurring' as const, cronExpression: null, intervalMs: 5000 };
    expect(
      repairedNextRunAt(row({ ...interval, nextRunAt: new Date(now.getTime() + 4000) }), now),
    ).toBeUndefined();
    expect(
      repairedNextRunAt(row({ ...interval, nextRunAt: new Date(now.getTime() + 60000) }), now),
    ).toEqual(new Date(now.getTime() + 5000));
  });

  it('follows a changed runAt of a delayed job', () => {
    const runAt = new Date(now.getTime() + 30000);
    const delayed = row({
      jobType: 'delayed',
      cronExpression: null,
      runAt,
      nextRunAt: new Date(now.getTime() + 9000),
    });
    expect(repairedNextRunAt(delayed, now)).toEqual(runAt);
  });
});
