import { CronTime } from 'cron';
import type { JobType } from '../job.entity.js';

/**
 * All time math of the service: cron (5 fields, or 6 with seconds) in an IANA zone, fixed
 * intervals, one-shot runAt. Pure functions over the same `cron` version the scheduler runs, so
 * the API, the preview and the firing never disagree. No Nest imports.
 *
 * DST (what `cron` does, pinned by schedule.spec.ts): a wall time skipped by spring-forward fires
 * once at the first valid instant after the gap (02:30 → 03:00 in America/New_York); a wall time
 * repeated by fall-back fires once, at its first occurrence.
 */
export interface ScheduleSpec {
  jobType: JobType;
  cronExpression?: string | null;
  intervalMs?: number | null;
  runAt?: Date | null;
  timezone: string;
}

/** Returns why the runner cannot use this expression, or null when it can. */
export function cronProblem(expression: string, timezone = 'UTC'): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return 'must have 5 fields (minute hour day month weekday) or 6 with seconds first';
  }
  const { valid, error } = CronTime.validateCronExpression(expression);
  if (!valid) {
    return error?.message ?? 'is not a valid cron expression';
  }
  try {
    new CronTime(expression, timezone).getNextDateFrom(new Date(), timezone);
  } catch {
    return 'never fires (no matching date)';
  }
  return null;
}

/** The first cron occurrence strictly after `after`. */
export function nextCronFire(expression: string, timezone: string, after: Date): Date {
  return new CronTime(expression, timezone).getNextDateFrom(after, timezone).toJSDate();
}

/**
 * The next slot strictly after `after` for a job of this shape, or null when it has none
 * (a one-shot job whose time is past, or an immediate job, which is fired by activation itself).
 */
export function nextSlot(spec: ScheduleSpec, after: Date): Date | null {
  switch (spec.jobType) {
    case 'immediate':
      return null;
    case 'delayed':
      if (spec.runAt) {
        return spec.runAt.getTime() > after.getTime() ? spec.runAt : null;
      }
      return spec.cronExpression ? nextCronFire(spec.cronExpression, spec.timezone, after) : null;
    case 'recurring':
      if (spec.intervalMs) {
        return new Date(after.getTime() + spec.intervalMs);
      }
      return spec.cronExpression ? nextCronFire(spec.cronExpression, spec.timezone, after) : null;
    case 'scheduled':
      return spec.cronExpression ? nextCronFire(spec.cronExpression, spec.timezone, after) : null;
  }
}

/**
 * The first slot of a newly created or re-activated job, as of `now`. An immediate job is due
 * now; a delayed job whose runAt is due (or just passed) is due at runAt.
 */
export function firstSlot(spec: ScheduleSpec, now: Date): Date | null {
  if (spec.jobType === 'immediate') {
    return now;
  }
  if (spec.jobType === 'delayed' && spec.runAt) {
    return spec.runAt;
  }
  return nextSlot(spec, now);
}

/** The next `count` fire times after `from`; one-shot jobs yield at most one. */
export function previewSlots(spec: ScheduleSpec, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let slot = firstSlot(spec, from);
  while (slot && out.length < count) {
    out.push(slot);
    if (spec.jobType === 'immediate' || spec.jobType === 'delayed') {
      break;
    }
    slot = nextSlot(spec, slot);
  }
  return out;
}
