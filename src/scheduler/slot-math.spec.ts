import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { nextCronFire, nextSlot as plainNextSlot } from '../jobs/schedule/schedule.js';
import { cachedCronFire, nextSlot } from './slot-math.js';

describe('cachedCronFire', () => {
  it('answers exactly as nextCronFire for any instant, zone and expression', () => {
    const base = Date.UTC(2026, 2, 29, 0, 0, 0);
    fc.assert(
      fc.property(
        fc.constantFrom('*/7 * * * * *', '30 */5 * * * *', '0 30 2 * * *', '15 10 * * 1-5'),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        (expr, tz, offset) => {
          const at = new Date(base + offset);
          expect(cachedCronFire(expr, tz, at)).toEqual(nextCronFire(expr, tz, at));
          expect(cachedCronFire(expr, tz, at)).toEqual(nextCronFire(expr, tz, at));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps schedule.ts semantics for interval and one-shot jobs', () => {
    const after = new Date('2026-01-01T00:00:00.250Z');
    const interval = { jobType: 'recurring' as const, intervalMs: 1500, timezone: 'UTC' };
    const delayed = { jobType: 'delayed' as const, cronExpression: '0 0 * * *', timezone: 'UTC' };
    expect(nextSlot(interval, after)).toEqual(plainNextSlot(interval, after));
    expect(nextSlot(delayed, after)).toEqual(plainNextSlot(delayed, after));
  });
});
