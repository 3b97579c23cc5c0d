import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { describeSchedule } from './describe.js';
import {
  fireAt,
  firstSlot,
  jitterOffsetMs,
  nextSlot,
  previewSlots,
  resumeSlot,
  scheduleOf,
  slotPlan,
  type ScheduleFields,
} from './schedule.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const SEC = 1000;
const ID = '6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a10';

/**
 * Brute-force reference for `*\/step * * * * *` in UTC: every whole second whose second-of-minute
 * is a multiple of `step`, walked one second at a time (no cron code involved).
 */
function refNext(step: number, after: number, lo: number | null, hi: number | null): number | null {
  const limit = after + 3 * 3600 * SEC;
  for (let t = Math.floor(after / SEC) * SEC + SEC; t <= limit; t += SEC) {
    if (((t / SEC) % 60) % step !== 0) {
      continue;
    }
    if (lo !== null && t < lo) {
      continue;
    }
    return hi !== null && t > hi ? null : t;
  }
  return null;
}

const cronJob = (step: number, over: Partial<ScheduleFields> = {}): ScheduleFields => ({
  id: ID,
  jobType: 'scheduled',
  cronExpression: `*/${step} * * * * *`,
  timezone: 'UTC',
  ...over,
});

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

describe('schedule controls', () => {
  describe('window (startAt, endAt)', () => {
    it('gives the first rule slot inside [startAt, endAt], as a second-by-second walk does', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 2, max: 30 }),
          fc.integer({ min: 0, max: 600_000 }),
          fc.option(fc.integer({ min: -300_000, max: 900_000 }), { nil: null }),
          fc.option(fc.integer({ min: 1, max: 900_000 }), { nil: null }),
          (step, afterOff, startOff, span) => {
            const after = T0 + afterOff;
            const lo = startOff === null ? null : T0 + startOff;
            const hi = span === null ? null : (lo ?? T0) + span;
            const s = scheduleOf(
              cronJob(step, {
                startAt: lo === null ? null : new Date(lo),
                endAt: hi === null ? null : new Date(hi),
              }),
            );
            expect(ms(nextSlot(s, new Date(after)))).toBe(refNext(step, after, lo, hi));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('starts an interval job at startAt and stops it after endAt', () => {
      const s = scheduleOf({
        jobType: 'recurring',
        intervalMs: 60 * SEC,
        timezone: 'UTC',
        startAt: new Date(T0 + 3600 * SEC),
        endAt: new Date(T0 + 3600 * SEC + 150 * SEC),
      });
      expect(previewSlots(s, new Date(T0), 10).map((d) => d.getTime() - T0)).toEqual([
        3600 * SEC,
        3660 * SEC,
        3720 * SEC,
      ]);
      expect(firstSlot(s, new Date(T0 + 3650 * SEC))).toEqual(new Date(T0 + 3710 * SEC));
      expect(firstSlot(s, new Date(T0 + 3700 * SEC))).toBeNull();
    });

    it('never fires a runAt outside the window', () => {
      const runAt = new Date(T0);
      const fields = { jobType: 'delayed' as const, runAt, timezone: 'UTC' };
      expect(firstSlot(scheduleOf({ ...fields, startAt: new Date(T0 + 1) }), runAt)).toBeNull();
      expect(firstSlot(scheduleOf({ ...fields, endAt: new Date(T0 - 1) }), runAt)).toBeNull();
      expect(firstSlot(scheduleOf({ ...fields, endAt: runAt }), runAt)).toEqual(runAt);
    });
  });

  describe('jitter', () => {
    it('is an offset in [0, jitterMs) fixed by (job id, slot), spread over the range', () => {
      const jitter = 10_000;
      const offsets = Array.from({ length: 2000 }, (_, i) =>
        jitterOffsetMs(ID, new Date(T0 + i * SEC), jitter),
      );
      expect(offsets.every((o) => Number.isInteger(o) && o >= 0 && o < jitter)).toBe(true);
      // Deterministic: the same inputs, the same offset.
      expect(jitterOffsetMs(ID, new Date(T0), jitter)).toBe(offsets[0]);
      // Spread: each tenth of the range holds 10% +- 4% of 2,000 samples.
      const buckets = Array.from({ length: 10 }, () => 0);
      offsets.forEach((o) => buckets[Math.floor(o / 1000)]++);
      expect(Math.min(...buckets)).toBeGreaterThan(120);
      expect(Math.max(...buckets)).toBeLessThan(280);
      // Another job gets other offsets for the same slots.
      const other = offsets.map((_, i) =>
        jitterOffsetMs('aa1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a10', new Date(T0 + i * SEC), jitter),
      );
      expect(other.filter((o, i) => o === offsets[i]).length).toBeLessThan(20);
    });

    it('is none without a job id or with jitterMs 0', () => {
      expect(jitterOffsetMs(null, new Date(T0), 5000)).toBe(0);
      expect(jitterOffsetMs(ID, new Date(T0), 0)).toBe(0);
      const s = scheduleOf(cronJob(10, { id: undefined, jitterMs: 5000 }));
      expect(fireAt(s, new Date(T0))).toEqual(new Date(T0));
    });

    it('moves the firing, not the nominal slot, in the plan', () => {
      const s = scheduleOf(cronJob(10, { jitterMs: 5000 }));
      const plan = slotPlan(s, new Date(T0), 5, false);
      expect(plan.map((p) => p.nominal.getTime() - T0)).toEqual(
        [10, 20, 30, 40, 50].map((x) => x * SEC),
      );
      for (const p of plan) {
        expect(p.at.getTime() - p.nominal.getTime()).toBe(jitterOffsetMs(ID, p.nominal, 5000));
      }
    });
  });

  describe('pause and run limit', () => {
    it('resumes at the first slot after the resume instant, with no catch-up', () => {
      const cron = scheduleOf(cronJob(10));
      expect(resumeSlot(cron, new Date(T0 + 25 * SEC))).toEqual(new Date(T0 + 30 * SEC));
      const every = scheduleOf({ jobType: 'recurring', intervalMs: 7 * SEC, timezone: 'UTC' });
      expect(resumeSlot(every, new Date(T0))).toEqual(new Date(T0 + 7 * SEC));
    });

    it('lists the slots of a pause, the window and the limit as the reference classifies them', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 2, max: 20 }),
          fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
          fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
          fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
          (step, untilS, endS, left) => {
            const until = untilS === null ? null : T0 + untilS * SEC;
            const end = endS === null ? null : T0 + (untilS ?? 0) * SEC + endS * SEC;
            const s = scheduleOf(
              cronJob(step, {
                pausedAt: new Date(T0 - SEC),
                pausedUntil: until === null ? null : new Date(until),
                endAt: end === null ? null : new Date(end),
                remainingRuns: left,
              }),
            );
            const count = 6;
            const plan = slotPlan(s, new Date(T0), count, true);
            // Reference: walk the rule's slots and classify each one.
            const runs: number[] = [];
            const paused: number[] = [];
            const outside: number[] = [];
            for (
              let t = refNext(step, T0, null, null);
              t !== null;
              t = refNext(step, t, null, null)
            ) {
              if (until === null || t <= until) {
                if (paused.length < count) {
                  paused.push(t);
                }
                if (until === null && paused.length >= count) {
                  break;
                }
              } else if (end !== null && t > end) {
                outside.push(t);
              } else if (runs.length < Math.min(count, left ?? count)) {
                runs.push(t);
              }
              const done = runs.length >= Math.min(count, left ?? count) || outside.length > 0;
              if (done && (until === null || t > until)) {
                break;
              }
            }
            expect(
              plan.filter((p) => p.skipped === 'pause').map((p) => p.nominal.getTime()),
            ).toEqual(paused);
            expect(plan.filter((p) => !p.skipped).map((p) => p.nominal.getTime())).toEqual(runs);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('lists the rule slots after endAt as skipped by the window', () => {
      const s = scheduleOf(cronJob(10, { endAt: new Date(T0 + 25 * SEC) }));
      const plan = slotPlan(s, new Date(T0), 3, true);
      expect(plan.map((p) => [p.nominal.getTime() - T0, p.skipped ?? 'fires'])).toEqual([
        [10 * SEC, 'fires'],
        [20 * SEC, 'fires'],
        [30 * SEC, 'window'],
        [40 * SEC, 'window'],
        [50 * SEC, 'window'],
      ]);
      const late = scheduleOf(cronJob(10, { startAt: new Date(T0 + 35 * SEC) }));
      expect(
        slotPlan(late, new Date(T0), 2, true).map((p) => [p.nominal.getTime() - T0, p.skipped]),
      ).toEqual([
        [10 * SEC, 'window'],
        [20 * SEC, 'window'],
        [40 * SEC, undefined],
        [50 * SEC, undefined],
      ]);
    });

    it('stops the preview at the remaining runs', () => {
      const s = scheduleOf(cronJob(10, { maxRuns: 5, remainingRuns: 2 }));
      expect(previewSlots(s, new Date(T0), 10)).toHaveLength(2);
      expect(previewSlots(scheduleOf(cronJob(10, { maxRuns: 3 })), new Date(T0), 10)).toHaveLength(
        3,
      );
    });
  });

  describe('description', () => {
    it('puts the cron in words with its zone and controls', () => {
      expect(
        describeSchedule({
          jobType: 'scheduled',
          cronExpression: '0 9 * * 1-5',
          timezone: 'Europe/Paris',
          jitterMs: 30_000,
          maxRuns: 10,
        }),
      ).toBe(
        'At 09:00, Monday through Friday, Europe/Paris time; each run up to 30 seconds late (jitter); at most 10 runs',
      );
      expect(
        describeSchedule({ jobType: 'scheduled', cronExpression: '@daily', timezone: 'UTC' }),
      ).toBe('At 00:00, UTC time');
      expect(describeSchedule({ jobType: 'recurring', intervalMs: 90_000, timezone: 'UTC' })).toBe(
        'Every 90 seconds',
      );
    });
  });
});
