import type { MisfirePolicy } from '../../jobs/job.entity.js';
import {
  fireAt,
  isOneShot,
  nextSlot,
  slotSkipReason,
  type Schedule,
} from '../../jobs/schedule/schedule.js';

/** A slot later than this is a misfire (no replica was up, or the database was unreachable). */
export const MISFIRE_TOLERANCE_MS = 5_000;

export interface PlanInput {
  schedule: Schedule;
  misfirePolicy: MisfirePolicy;
  /** The slot being claimed: the job's next_run_at. */
  slot: Date;
  now: Date;
  maxCatchup: number;
}

export interface FiringPlan {
  /** The slot run now by the claim (null when nothing runs). */
  run: Date | null;
  /** Further missed slots run one after another through the pending-runs queue (fire_all). */
  catchUp: Date[];
  /** Slots not run (misfire_skip, calendar), counted in skipped_runs. */
  skipped: number;
  /** Of `skipped`, the slots an excluded calendar skipped (set when the job excludes calendars). */
  calendarSkipped?: number;
  /** The job's new next_run_at; null for a one-shot job or at the end of the window. */
  next: Date | null;
  deactivate: boolean;
}

/** The missed slots from `slot` up to `now`, at most `limit` (the first one is `slot`). */
function missedSlots(spec: Schedule, slot: Date, now: Date, limit: number): Date[] {
  const out: Date[] = [slot];
  let s = nextSlot(spec, slot);
  while (s && s.getTime() <= now.getTime() && out.length < limit) {
    out.push(s);
    s = nextSlot(spec, s);
  }
  return out;
}

/** How many slots lie in (from, now]; bounded so an old interval job cannot loop for long. */
function countUntil(spec: Schedule, from: Date, now: Date, bound: number): number {
  let n = 0;
  let s = nextSlot(spec, from);
  while (s && s.getTime() <= now.getTime() && n < bound) {
    n++;
    s = nextSlot(spec, s);
  }
  return n;
}

/**
 * What a claim does with a due slot. On time (within MISFIRE_TOLERANCE_MS): run it, next = the
 * slot after it. Late: fire_once runs one catch-up for the missed slots; skip runs none and counts
 * them; fire_all runs each missed slot, oldest first, up to maxCatchup. Either way the job then
 * continues at its first future slot. One-shot jobs run (or skip) once and are deactivated.
 */
export function planFiring(input: PlanInput): FiringPlan {
  const nominal = planSlot(input);
  const plan = input.schedule.exclusions ? withExclusions(nominal, input) : nominal;
  // A job past its last slot (end of window, a cron that never fires again) is done.
  const done = plan.next === null;
  // The run limit: the slot run uses one of the remaining runs, each catch-up another (the
  // claim counts them down in SQL and deactivates the job when none is left).
  const left = input.schedule.remaining;
  const catchUp = left === null ? plan.catchUp : plan.catchUp.slice(0, Math.max(left - 1, 0));
  return { ...plan, catchUp, deactivate: plan.deactivate || done };
}

/**
 * The plan once excluded calendars have had their say: an excluded slot is not run and counts as
 * skipped (reason calendar), whether on time, a fire_all catch-up or a one-shot. fire_once runs
 * its one catch-up for the first missed slot no calendar excludes (none: all count as skipped);
 * skip counts the excluded among its missed slots under calendar instead of misfire.
 */
function withExclusions(plan: FiringPlan, input: PlanInput): FiringPlan {
  const { schedule: spec, slot, now } = input;
  const excluded = (s: Date): boolean => slotSkipReason(spec, s) !== null;
  const late = now.getTime() - slot.getTime() > MISFIRE_TOLERANCE_MS;
  const planned = [plan.run, ...plan.catchUp].filter((s): s is Date => s !== null);
  const kept = planned.filter((s) => !excluded(s));
  let calendar = planned.length - kept.length;
  let run: Date | null = kept[0] ?? null;
  if (late && !isOneShot(spec) && input.misfirePolicy === 'fire_once' && run === null) {
    const missed = missedSlots(spec, slot, now, input.maxCatchup);
    run = missed.find((s) => !excluded(s)) ?? null;
    calendar = run ? 0 : missed.length;
  }
  let misfire = plan.skipped;
  if (late && input.misfirePolicy === 'skip' && plan.skipped > 0) {
    const inCalendar = missedSlots(spec, slot, now, plan.skipped).filter(excluded).length;
    misfire -= inCalendar;
    calendar += inCalendar;
  }
  return {
    ...plan,
    run,
    catchUp: kept.slice(1),
    skipped: misfire + calendar,
    calendarSkipped: calendar,
  };
}

function planSlot(input: PlanInput): FiringPlan {
  const { schedule: spec, slot, now } = input;
  // Lateness counts from when the slot fires: its jitter is not a delay.
  const late = now.getTime() - fireAt(spec, slot).getTime() > MISFIRE_TOLERANCE_MS;
  if (isOneShot(spec)) {
    const skip = late && input.misfirePolicy === 'skip';
    return {
      run: skip ? null : slot,
      catchUp: [],
      skipped: skip ? 1 : 0,
      next: null,
      deactivate: true,
    };
  }
  if (!late) {
    return { run: slot, catchUp: [], skipped: 0, next: nextSlot(spec, slot), deactivate: false };
  }
  const next = nextSlot(spec, now);
  switch (input.misfirePolicy) {
    case 'fire_once':
      return { run: slot, catchUp: [], skipped: 0, next, deactivate: false };
    case 'skip': {
      const skipped = 1 + countUntil(spec, slot, now, input.maxCatchup);
      return { run: null, catchUp: [], skipped, next, deactivate: false };
    }
    case 'fire_all': {
      const missed = missedSlots(spec, slot, now, input.maxCatchup);
      const beyond = countUntil(spec, missed[missed.length - 1], now, input.maxCatchup);
      return { run: slot, catchUp: missed.slice(1), skipped: beyond, next, deactivate: false };
    }
  }
}
