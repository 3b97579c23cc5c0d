import { describe, expect, it } from '@jest/globals';
import type { JobTimers } from './job-timers.js';
import { ReconcilerService, repairedNextRunAt } from './reconciler.service.js';
import type { JobSlotRow } from '../scheduler.types.js';
import type { SlotClaimRepository } from '../firing/slot-claim.repository.js';

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
  pausedAt: null,
  pausedUntil: null,
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

/** A reconciler over `pages` of 1,000 active rows, each page read taking `readMs` (0: at once). */
function pagedReconciler(pages: number, readMs: number) {
  const all = Array.from({ length: pages * 1000 }, (_, i) =>
    row({ id: `j${String(i).padStart(6, '0')}`, nextRunAt: new Date('2026-03-01T10:00:10Z') }),
  );
  const reads: number[] = [];
  const repo = {
    findActivePage: async (after: string | null) => {
      reads.push(performance.now());
      if (readMs > 0) {
        await new Promise((r) => setTimeout(r, readMs));
      }
      const from = after === null ? 0 : all.findIndex((r) => r.id === after) + 1;
      return all.slice(from, from + 1000);
    },
    findSlotRows: () => Promise.resolve([]),
  };
  const armed = new Set<string>();
  const timers = {
    arm: (id: string) => armed.add(id),
    disarm: () => undefined,
    armedIds: () => [...armed],
  };
  const clock = { now: () => now, nowMs: () => now.getTime() };
  const svc = new ReconcilerService(
    repo as unknown as SlotClaimRepository,
    timers as unknown as JobTimers,
    clock,
  );
  return { svc, reads, armed };
}

describe('ReconcilerService.reconcileAll', () => {
  it('paces a pass given a duty: it rests between pages at least (1/duty - 1) x the work', async () => {
    const paced = pagedReconciler(3, 40);
    expect(await paced.svc.reconcileAll({ duty: 0.25 })).toBe(3000);
    expect(paced.armed.size).toBe(3000);
    // Each page took >= 40 ms of work, so the next read came >= 160 ms after the previous one.
    const gaps = paced.reads.slice(1).map((t, i) => t - paced.reads[i]);
    expect(gaps).toHaveLength(3); // 3 full pages, then the empty read that ends the pass
    gaps.forEach((gap) => expect(gap).toBeGreaterThanOrEqual(155));
    // Unpaced (the start-up pass), the next page is read as soon as one is done.
    const unpaced = pagedReconciler(3, 40);
    await unpaced.svc.reconcileAll();
    const quick = unpaced.reads.slice(1).map((t, i) => t - unpaced.reads[i]);
    expect(Math.min(...quick)).toBeLessThan(Math.min(...gaps));
  });

  it('yields to the event loop during a large pass, so due timers are not held back', async () => {
    const { svc, armed } = pagedReconciler(1, 0);
    let armedWhenTimerRan = -1;
    setImmediate(() => (armedWhenTimerRan = armed.size));
    await svc.reconcileAll();
    expect(armed.size).toBe(1000);
    // The macrotask queued before the pass ran while the pass was still going.
    expect(armedWhenTimerRan).toBeGreaterThan(0);
    expect(armedWhenTimerRan).toBeLessThan(1000);
  });
});
