import {
  calendarExcludes,
  rulesOf,
  type CalendarLookup,
  type CalendarRule,
} from '../../calendars/calendar-rules.js';
import { isValidTimeZone } from '../../core/time/zone.js';
import type { JobType } from '../job.entity.js';
import { CronRule, cronRule } from './cron.js';

/**
 * The one schedule model (design 7.1): every "when does this job fire" in the service is read
 * from a `Schedule` built by `scheduleOf`, and every next slot comes from the functions below.
 * Create, update, preview, the claim path, misfire planning and the reconciler all call them.
 * Pure functions, no Nest imports, no process clock: callers pass the instant to start from.
 * Cron rules and DST: cron.ts.
 */

/** The job fields that decide when it fires, and their columns. The only list of them. */
export const SCHEDULE_COLUMNS = {
  isActive: 'is_active',
  jobType: 'job_type',
  cronExpression: 'cron_expression',
  intervalMs: 'interval_ms',
  runAt: 'run_at',
  timezone: 'timezone',
  excludeCalendars: 'exclude_calendars',
} as const;

/** The schedule fields of a job (an entity, a definition or a row read by the scheduler). */
export interface ScheduleFields {
  jobType: JobType;
  cronExpression?: string | null;
  intervalMs?: number | null;
  runAt?: Date | null;
  timezone: string;
  /** Ids of calendars whose slots are skipped (reason `calendar`). */
  excludeCalendars?: readonly string[] | null;
}

/** Why a slot of the schedule is not run. */
export type SlotSkipReason = 'calendar';

export type Schedule = ScheduleTiming & {
  /** Calendars excluding slots (see slotSkipReason); absent when the job excludes none. */
  exclusions?: readonly CalendarRule[];
};

type ScheduleTiming =
  /** Due as soon as created or re-activated; never again. */
  | { kind: 'immediate'; zone: string }
  /** A delayed job with runAt: that instant, once. */
  | { kind: 'at'; at: Date; zone: string }
  /** Every `everyMs` of elapsed time from the previous slot. */
  | { kind: 'interval'; everyMs: number; zone: string }
  /** Cron slots in `zone`; `once` for a delayed job without runAt (its first slot only). */
  | { kind: 'cron'; rule: CronRule; zone: string; once: boolean }
  /** A definition without a usable timing (rejected at the API; possible in hand-written SQL). */
  | { kind: 'none'; zone: string };

/**
 * Builds the schedule of a job. Throws when its cron expression cannot be parsed. `calendars`
 * resolves its excludeCalendars; without it the schedule excludes nothing (nominal slots only,
 * which is all next_run_at needs: an excluded slot is still claimed, and skipped).
 */
export function scheduleOf(job: ScheduleFields, calendars?: CalendarLookup): Schedule {
  const timing = timingOf(job);
  const exclusions = rulesOf(job.excludeCalendars, calendars);
  return exclusions.length > 0 ? { ...timing, exclusions } : timing;
}

/** Why `slot` is not run (a calendar excludes it), or null when it runs. */
export function slotSkipReason(schedule: Schedule, slot: Date): SlotSkipReason | null {
  return schedule.exclusions?.some((c) => calendarExcludes(c, slot)) ? 'calendar' : null;
}

function timingOf(job: ScheduleFields): ScheduleTiming {
  const zone = job.timezone;
  const cron = job.cronExpression ? cronRule(job.cronExpression) : null;
  switch (job.jobType) {
    case 'immediate':
      return { kind: 'immediate', zone };
    case 'delayed':
      if (job.runAt) {
        return { kind: 'at', at: job.runAt, zone };
      }
      return cron ? { kind: 'cron', rule: cron, zone, once: true } : { kind: 'none', zone };
    case 'recurring':
      if (job.intervalMs) {
        return { kind: 'interval', everyMs: job.intervalMs, zone };
      }
      return cron ? { kind: 'cron', rule: cron, zone, once: false } : { kind: 'none', zone };
    case 'scheduled':
      return cron ? { kind: 'cron', rule: cron, zone, once: false } : { kind: 'none', zone };
  }
}

/** Whether the job fires at most once (delayed and immediate jobs). */
export function isOneShot(schedule: Schedule): boolean {
  return (
    schedule.kind === 'immediate' ||
    schedule.kind === 'at' ||
    (schedule.kind === 'cron' && schedule.once)
  );
}

/**
 * The next slot strictly after `after`, or null when there is none (a one-shot time that is
 * past, an immediate job, which activation itself fires, or a cron rule that never fires again).
 */
export function nextSlot(schedule: Schedule, after: Date): Date | null {
  switch (schedule.kind) {
    case 'immediate':
    case 'none':
      return null;
    case 'at':
      return schedule.at.getTime() > after.getTime() ? schedule.at : null;
    case 'interval':
      return new Date(after.getTime() + schedule.everyMs);
    case 'cron': {
      const next = schedule.rule.nextInstant(schedule.zone, after.getTime());
      return next === null ? null : new Date(next);
    }
  }
}

/**
 * The first slot of a newly created or re-activated job, as of `now`: an immediate job is due
 * now, a delayed job at its runAt (even if just past), anything else at its next slot.
 */
export function firstSlot(schedule: Schedule, now: Date): Date | null {
  switch (schedule.kind) {
    case 'immediate':
      return now;
    case 'at':
      return schedule.at;
    case 'interval':
    case 'cron':
    case 'none':
      return nextSlot(schedule, now);
  }
}

/** The next `count` slots from `from`, strictly increasing; one-shot jobs yield at most one. */
export function previewSlots(schedule: Schedule, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let slot = firstSlot(schedule, from);
  while (slot && out.length < count) {
    out.push(slot);
    if (isOneShot(schedule)) {
      break;
    }
    slot = nextSlot(schedule, slot);
  }
  return out;
}

/** Returns why the scheduler cannot run this expression in this zone, or null when it can. */
export function cronProblem(expression: string, timezone = 'UTC'): string | null {
  let rule: CronRule;
  try {
    rule = cronRule(expression);
  } catch (e) {
    return (e as Error).message;
  }
  if (!rule.matchesSomeDay()) {
    return 'never fires (no matching date)';
  }
  // Days exist; in this zone every matching time could still fall into DST gaps. (An unknown
  // zone is the timezone field's problem.)
  if (isValidTimeZone(timezone) && rule.nextInstant(timezone, Date.UTC(2026, 0, 1)) === null) {
    return `never fires in ${timezone}`;
  }
  return null;
}

/** The first cron slot strictly after `after`; throws when the expression never fires again. */
export function nextCronFire(expression: string, timezone: string, after: Date): Date {
  const next = cronRule(expression).nextInstant(timezone, after.getTime());
  if (next === null) {
    throw new Error(`${expression} never fires after ${after.toISOString()} in ${timezone}`);
  }
  return new Date(next);
}
