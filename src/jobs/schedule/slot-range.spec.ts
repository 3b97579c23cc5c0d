import { describe, expect, it } from '@jest/globals';
import { lookupOf } from '../../calendars/calendar-rules.js';
import { scheduleOf, slotPlan, slotSkipReason, type PlannedSlot } from './schedule.js';
import { slotsInRange } from './slot-range.js';

const CAL = '00000000-0000-4000-8000-00000000000c';
const calendars = lookupOf([
  {
    id: CAL,
    timezone: 'Europe/Berlin',
    dates: ['2026-12-25'],
    ranges: [{ from: new Date('2026-12-23T10:00:00Z'), to: new Date('2026-12-23T12:00:00Z') }],
  },
]);
const hourly = scheduleOf(
  { jobType: 'scheduled', cronExpression: '0 * * * *', timezone: 'UTC', excludeCalendars: [CAL] },
  calendars,
);
const iso = (d: Date): string => d.toISOString();
const upcoming = (from: Date, count: number, withSkipped = false): Partial<PlannedSlot>[] =>
  slotPlan(hourly, from, count, withSkipped).map(({ at, skipped }) =>
    skipped ? { at, skipped } : { at },
  );

describe('schedule walks with calendars', () => {
  it('marks slots a calendar excludes, local day in the calendar zone', () => {
    // Dec 25 in Berlin is 2026-12-24T23:00Z .. 2026-12-25T23:00Z.
    expect(slotSkipReason(hourly, new Date('2026-12-24T22:00:00Z'))).toBeNull();
    expect(slotSkipReason(hourly, new Date('2026-12-24T23:00:00Z'))).toBe('calendar');
    expect(slotSkipReason(hourly, new Date('2026-12-25T22:00:00Z'))).toBe('calendar');
    expect(slotSkipReason(hourly, new Date('2026-12-25T23:00:00Z'))).toBeNull();
    expect(slotSkipReason(hourly, new Date('2026-12-23T11:00:00Z'))).toBe('calendar');
    expect(slotSkipReason(hourly, new Date('2026-12-23T12:00:00Z'))).toBeNull();
  });

  it('a job without the calendar, or without a lookup, excludes nothing', () => {
    const plain = scheduleOf({
      jobType: 'scheduled',
      cronExpression: '0 * * * *',
      timezone: 'UTC',
    });
    expect(slotSkipReason(plain, new Date('2026-12-25T10:00:00Z'))).toBeNull();
    const noLookup = scheduleOf({
      jobType: 'scheduled',
      cronExpression: '0 * * * *',
      timezone: 'UTC',
      excludeCalendars: [CAL],
    });
    expect(noLookup.exclusions).toBeUndefined();
  });

  it('upcoming slots skip excluded ones, or list them with the reason', () => {
    const from = new Date('2026-12-23T08:30:00Z');
    expect(upcoming(from, 3).map((s) => iso(s.at as Date))).toEqual([
      '2026-12-23T09:00:00.000Z',
      '2026-12-23T12:00:00.000Z',
      '2026-12-23T13:00:00.000Z',
    ]);
    expect(upcoming(from, 2, true)).toEqual([
      { at: new Date('2026-12-23T09:00:00Z') },
      { at: new Date('2026-12-23T10:00:00Z'), skipped: 'calendar' },
      { at: new Date('2026-12-23T11:00:00Z'), skipped: 'calendar' },
      { at: new Date('2026-12-23T12:00:00Z') },
    ]);
  });

  it('finds the next fire past a whole excluded local day', () => {
    const [next] = upcoming(new Date('2026-12-24T22:30:00Z'), 1);
    expect(iso(next.at as Date)).toBe('2026-12-25T23:00:00.000Z');
  });

  it('range slots: both ends included, excluded ones left out, capped', () => {
    const r = slotsInRange(
      hourly,
      new Date('2026-12-23T09:00:00Z'),
      new Date('2026-12-23T13:00:00Z'),
      10,
    );
    expect(r.slots.map(iso)).toEqual([
      '2026-12-23T09:00:00.000Z',
      '2026-12-23T12:00:00.000Z',
      '2026-12-23T13:00:00.000Z',
    ]);
    expect(r.truncated).toBe(false);
    const capped = slotsInRange(
      hourly,
      new Date('2026-12-01T00:00:00Z'),
      new Date('2026-12-01T05:00:00Z'),
      5,
    );
    expect(capped).toEqual({ slots: capped.slots, truncated: true });
    expect(capped.slots).toHaveLength(5);
  });

  it('interval slots count from the range start; a delayed job has its runAt if inside', () => {
    const every = scheduleOf({ jobType: 'recurring', intervalMs: 90_000, timezone: 'UTC' });
    const from = new Date('2026-01-01T00:00:00Z');
    expect(slotsInRange(every, from, new Date('2026-01-01T00:03:00Z'), 10).slots.map(iso)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:01:30.000Z',
      '2026-01-01T00:03:00.000Z',
    ]);
    const once = scheduleOf({
      jobType: 'delayed',
      runAt: new Date('2026-01-01T00:02:00Z'),
      timezone: 'UTC',
    });
    expect(slotsInRange(once, from, new Date('2026-01-01T00:03:00Z'), 10).slots).toEqual([
      new Date('2026-01-01T00:02:00Z'),
    ]);
    expect(
      slotsInRange(once, new Date('2026-01-01T00:02:01Z'), new Date('2026-01-02'), 10).slots,
    ).toEqual([]);
  });
});
