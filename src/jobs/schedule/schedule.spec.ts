import { describe, expect, it } from '@jest/globals';
import {
  cronProblem,
  firstSlot,
  nextCronFire,
  nextSlot,
  previewSlots,
  scheduleOf,
} from './schedule.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const fires = (cron: string, zone: string, from: string, n: number): string[] =>
  previewSlots(
    scheduleOf({ jobType: 'scheduled', cronExpression: cron, timezone: zone }),
    new Date(from),
    n,
  ).map((d) => d.toISOString());

describe('schedule', () => {
  describe('DST', () => {
    it('fires a wall time skipped by spring-forward once, at 03:00 EDT (America/New_York)', () => {
      // 2026-03-08: clocks jump 02:00 EST -> 03:00 EDT; 02:30 does not exist that day.
      expect(fires('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 3)).toEqual([
        '2026-03-08T07:00:00.000Z', // 03:00 EDT
        '2026-03-09T06:30:00.000Z', // 02:30 EDT
        '2026-03-10T06:30:00.000Z',
      ]);
    });

    it('fires a wall time repeated by fall-back once, at its first occurrence (Europe/London)', () => {
      // 2026-10-25: 02:00 BST -> 01:00 GMT; 01:00 happens twice (00:00Z and 01:00Z).
      expect(fires('0 1 * * *', 'Europe/London', '2026-10-24T12:00:00Z', 3)).toEqual([
        '2026-10-25T00:00:00.000Z', // 01:00 BST, the first occurrence
        '2026-10-26T01:00:00.000Z', // 01:00 GMT
        '2026-10-27T01:00:00.000Z',
      ]);
    });

    it('keeps a fixed interval in elapsed time across a DST change', () => {
      const spec = scheduleOf({
        jobType: 'recurring' as const,
        intervalMs: 3600_000,
        timezone: 'Europe/London',
      });
      expect(iso(nextSlot(spec, new Date('2026-10-25T00:30:00Z')))).toBe(
        '2026-10-25T01:30:00.000Z',
      );
    });
  });

  describe('cron syntax', () => {
    it('supports 6 fields with seconds first', () => {
      expect(fires('*/20 * * * * *', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual([
        '2026-01-01T00:00:20.000Z',
        '2026-01-01T00:00:40.000Z',
        '2026-01-01T00:01:00.000Z',
      ]);
    });

    it('matches a day when either day-of-month or day-of-week matches (Vixie cron)', () => {
      // 13th of the month OR Friday: Fri 2 Jan, Fri 9 Jan, Tue 13 Jan.
      expect(fires('0 0 13 * 5', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual([
        '2026-01-02T00:00:00.000Z',
        '2026-01-09T00:00:00.000Z',
        '2026-01-13T00:00:00.000Z',
      ]);
    });

    it('understands month and weekday names, ranges, lists and steps', () => {
      expect(fires('0 9 * JAN MON-FRI', 'UTC', '2026-01-01T00:00:00Z', 3)).toEqual([
        '2026-01-01T09:00:00.000Z',
        '2026-01-02T09:00:00.000Z',
        '2026-01-05T09:00:00.000Z',
      ]);
      expect(fires('0 8-10/2,17 * * *', 'UTC', '2026-01-01T00:00:00Z', 4)).toEqual([
        '2026-01-01T08:00:00.000Z',
        '2026-01-01T10:00:00.000Z',
        '2026-01-01T17:00:00.000Z',
        '2026-01-02T08:00:00.000Z',
      ]);
    });

    it('applies the time zone to the cron fields', () => {
      const next = nextCronFire('0 0 * * *', 'Asia/Kolkata', new Date('2026-01-01T00:00:00Z'));
      expect(next.toISOString()).toBe('2026-01-01T18:30:00.000Z');
    });

    it.each([
      ['0 0 * *', /5 fields/],
      ['0 0 * * * * *', /5 fields/],
      ['61 * * * *', /.+/],
      ['* * * * FOO', /.+/],
      ['every minute', /.+/],
    ])('rejects %p', (cron, message) => {
      expect(cronProblem(cron)).toMatch(message);
    });

    it('rejects an expression that never fires', () => {
      expect(cronProblem('0 0 31 2 *')).toBe('never fires (no matching date)');
      expect(cronProblem('0 0 30 2 *')).toBe('never fires (no matching date)');
    });

    it.each(['0 0 * * *', '*/15 * * * *', '0 0 29 2 *', '0 9 * * MON-FRI', '30 * * * * *'])(
      'accepts %p',
      (cron) => {
        expect(cronProblem(cron)).toBeNull();
      },
    );
  });

  describe('job types', () => {
    const now = new Date('2026-05-01T10:00:00Z');

    it('fires a recurring interval job intervalMs after the previous slot', () => {
      const spec = scheduleOf({
        jobType: 'recurring' as const,
        intervalMs: 90_000,
        timezone: 'UTC',
      });
      expect(previewSlots(spec, now, 3).map(iso)).toEqual([
        '2026-05-01T10:01:30.000Z',
        '2026-05-01T10:03:00.000Z',
        '2026-05-01T10:04:30.000Z',
      ]);
    });

    it('uses the cron expression for a recurring job without interval', () => {
      const spec = scheduleOf({
        jobType: 'recurring' as const,
        cronExpression: '0 * * * *',
        timezone: 'UTC',
      });
      expect(iso(firstSlot(spec, now))).toBe('2026-05-01T11:00:00.000Z');
    });

    it('fires a delayed job once at runAt, and never after it', () => {
      const runAt = new Date('2026-05-02T00:00:00Z');
      const spec = scheduleOf({
        jobType: 'delayed' as const,
        runAt,
        timezone: 'UTC',
      });
      expect(previewSlots(spec, now, 5).map(iso)).toEqual(['2026-05-02T00:00:00.000Z']);
      expect(nextSlot(spec, runAt)).toBeNull();
    });

    it('fires a delayed job without runAt at the next cron occurrence, once', () => {
      const spec = scheduleOf({
        jobType: 'delayed' as const,
        cronExpression: '0 12 * * *',
        timezone: 'UTC',
      });
      expect(previewSlots(spec, now, 5).map(iso)).toEqual(['2026-05-01T12:00:00.000Z']);
    });

    it('makes an immediate job due now and never again', () => {
      const spec = scheduleOf({ jobType: 'immediate' as const, timezone: 'UTC' });
      expect(firstSlot(spec, now)).toEqual(now);
      expect(nextSlot(spec, now)).toBeNull();
    });
  });
});
