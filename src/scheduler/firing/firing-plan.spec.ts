import { describe, expect, it } from '@jest/globals';
import { fireAt, scheduleOf } from '../../jobs/schedule/schedule.js';
import { MISFIRE_TOLERANCE_MS, planFiring } from './firing-plan.js';
import { lookupOf } from '../../calendars/calendar-rules.js';

const every10s = scheduleOf({
  jobType: 'scheduled',
  cronExpression: '*/10 * * * * *',
  timezone: 'UTC',
});
const slot = new Date('2026-03-01T10:00:00.000Z');
const at = (s: number): Date => new Date(slot.getTime() + s * 1000);

describe('planFiring', () => {
  it('runs an on-time slot and moves to the following slot', () => {
    const plan = planFiring({
      schedule: every10s,
      misfirePolicy: 'skip',
      slot,
      now: at(0.02),
      maxCatchup: 100,
    });
    expect(plan).toEqual({ run: slot, catchUp: [], skipped: 0, next: at(10), deactivate: false });
  });

  it('treats a slot later than the tolerance as a misfire', () => {
    const late = new Date(slot.getTime() + MISFIRE_TOLERANCE_MS + 1);
    expect(
      planFiring({ schedule: every10s, misfirePolicy: 'skip', slot, now: late, maxCatchup: 100 })
        .run,
    ).toBeNull();
  });

  it('fire_once: one catch-up run, then the first future slot', () => {
    const plan = planFiring({
      schedule: every10s,
      misfirePolicy: 'fire_once',
      slot,
      now: at(35),
      maxCatchup: 100,
    });
    expect(plan).toEqual({ run: slot, catchUp: [], skipped: 0, next: at(40), deactivate: false });
  });

  it('skip: runs nothing and counts every missed slot', () => {
    const plan = planFiring({
      schedule: every10s,
      misfirePolicy: 'skip',
      slot,
      now: at(35),
      maxCatchup: 100,
    });
    expect(plan).toEqual({ run: null, catchUp: [], skipped: 4, next: at(40), deactivate: false });
  });

  it('fire_all: runs each missed slot oldest first, bounded by maxCatchup', () => {
    const all = planFiring({
      schedule: every10s,
      misfirePolicy: 'fire_all',
      slot,
      now: at(35),
      maxCatchup: 100,
    });
    expect(all).toEqual({
      run: slot,
      catchUp: [at(10), at(20), at(30)],
      skipped: 0,
      next: at(40),
      deactivate: false,
    });
    const bounded = planFiring({
      schedule: every10s,
      misfirePolicy: 'fire_all',
      slot,
      now: at(35),
      maxCatchup: 2,
    });
    expect(bounded).toMatchObject({ run: slot, catchUp: [at(10)], skipped: 2, next: at(40) });
  });

  it('runs a one-shot job once and deactivates it, unless it misfired under skip', () => {
    const delayed = scheduleOf({ jobType: 'delayed', runAt: slot, timezone: 'UTC' });
    expect(
      planFiring({
        schedule: delayed,
        misfirePolicy: 'fire_once',
        slot,
        now: at(60),
        maxCatchup: 5,
      }),
    ).toEqual({
      run: slot,
      catchUp: [],
      skipped: 0,
      next: null,
      deactivate: true,
    });
    expect(
      planFiring({ schedule: delayed, misfirePolicy: 'skip', slot, now: at(60), maxCatchup: 5 }),
    ).toMatchObject({
      run: null,
      skipped: 1,
      deactivate: true,
    });
  });

  it('continues an interval job from its slot, not from the claim time', () => {
    const interval = scheduleOf({ jobType: 'recurring', intervalMs: 1500, timezone: 'UTC' });
    expect(
      planFiring({
        schedule: interval,
        misfirePolicy: 'fire_once',
        slot,
        now: at(0.3),
        maxCatchup: 5,
      }).next,
    ).toEqual(new Date(slot.getTime() + 1500));
  });

  it('deactivates at the last slot of the window and counts lateness from the jittered instant', () => {
    const windowed = scheduleOf({
      jobType: 'scheduled',
      cronExpression: '*/10 * * * * *',
      timezone: 'UTC',
      endAt: at(15),
    });
    const last = planFiring({
      schedule: windowed,
      misfirePolicy: 'skip',
      slot: at(10),
      now: at(10),
      maxCatchup: 5,
    });
    expect(last).toEqual({ run: at(10), catchUp: [], skipped: 0, next: null, deactivate: true });
    // A slot whose jitter puts it 6 s after the nominal time is on time when it fires then.
    const jittered = { ...every10s, jobId: 'j', jitterMs: 10_000 };
    const offset = fireAt(jittered, slot).getTime() - slot.getTime();
    expect(offset).toBeGreaterThan(1000); // else the case below would not tell the two apart
    const plan = planFiring({
      schedule: jittered,
      misfirePolicy: 'skip',
      slot,
      now: new Date(slot.getTime() + offset + MISFIRE_TOLERANCE_MS - 1),
      maxCatchup: 5,
    });
    expect(plan.run).toEqual(slot);
  });

  it('plans no more fire_all catch-ups than the runs left', () => {
    const limited = { ...every10s, remaining: 3 };
    const plan = planFiring({
      schedule: limited,
      misfirePolicy: 'fire_all',
      slot,
      now: at(65),
      maxCatchup: 100,
    });
    expect(plan.run).toEqual(slot);
    expect(plan.catchUp).toEqual([at(10), at(20)]);
  });
});

describe('planFiring with excluded calendars', () => {
  const CAL = '00000000-0000-4000-8000-00000000000c';
  // Excludes [slot + 10 s, slot + 40 s): the slots at 10, 20 and 30 s.
  const excluding = scheduleOf(
    {
      jobType: 'scheduled',
      cronExpression: '*/10 * * * * *',
      timezone: 'UTC',
      excludeCalendars: [CAL],
    },
    lookupOf([{ id: CAL, timezone: 'UTC', dates: [], ranges: [{ from: at(10), to: at(40) }] }]),
  );
  const plan = (
    s: Date,
    now: Date,
    misfirePolicy: 'fire_once' | 'skip' | 'fire_all',
  ): ReturnType<typeof planFiring> =>
    planFiring({ schedule: excluding, misfirePolicy, slot: s, now, maxCatchup: 100 });

  it('an excluded on-time slot is not run, counts as skipped (calendar) and moves on', () => {
    expect(plan(at(10), at(10.02), 'fire_once')).toEqual({
      run: null,
      catchUp: [],
      skipped: 1,
      calendarSkipped: 1,
      next: at(20),
      deactivate: false,
    });
    expect(plan(at(40), at(40.02), 'fire_once')).toMatchObject({ run: at(40), skipped: 0 });
  });

  it('fire_all runs only the missed slots no calendar excludes', () => {
    expect(plan(slot, at(45), 'fire_all')).toEqual({
      run: slot,
      catchUp: [at(40)],
      skipped: 3,
      calendarSkipped: 3,
      next: at(50),
      deactivate: false,
    });
  });

  it('fire_once catches up with the first missed slot that is not excluded', () => {
    expect(plan(at(10), at(45), 'fire_once')).toMatchObject({
      run: at(40),
      skipped: 0,
      next: at(50),
    });
    expect(plan(at(10), at(35), 'fire_once')).toMatchObject({
      run: null,
      skipped: 3,
      calendarSkipped: 3,
    });
  });

  it('skip counts the excluded missed slots under calendar, the others as misfires', () => {
    expect(plan(slot, at(45), 'skip')).toMatchObject({
      run: null,
      skipped: 5,
      calendarSkipped: 3,
      next: at(50),
    });
  });

  it('an excluded one-shot slot is not run and the job ends', () => {
    const once = scheduleOf(
      { jobType: 'delayed', runAt: at(20), timezone: 'UTC', excludeCalendars: [CAL] },
      lookupOf([{ id: CAL, timezone: 'UTC', dates: [], ranges: [{ from: at(10), to: at(40) }] }]),
    );
    expect(
      planFiring({
        schedule: once,
        misfirePolicy: 'fire_once',
        slot: at(20),
        now: at(20),
        maxCatchup: 5,
      }),
    ).toEqual({
      run: null,
      catchUp: [],
      skipped: 1,
      calendarSkipped: 1,
      next: null,
      deactivate: true,
    });
  });
});
