import { createHash } from 'node:crypto';
import { isValidTimeZone } from '../../core/time/zone.js';
import type { JobType } from '../job.entity.js';
import { CronRule, cronRule } from './cron.js';

/**
 * The one schedule model (design 7.1): every "when does this job fire" in the service is read
 * from a `Schedule` built by `scheduleOf`, and every next slot comes from the functions below.
 * Create, update, preview, the claim path, misfire planning and the reconciler all call them.
 * Pure functions, no Nest imports, no process clock: callers pass the instant to start from.
 * Cron rules and DST: cron.ts.
 *
 * A slot is a nominal instant (what executions record as scheduledFor and the target receives
 * as X-Scheduled-For); `fireAt` adds the job's deterministic jitter to it. Controls: the window
 * [startAt, endAt] bounds nominal slots, `remaining` bounds how many more scheduled runs there
 * are, and a pause (the job is then inactive) ends at `pause.until` with no catch-up.
 */

/** The job fields that decide when it fires, and their columns. The only list of them. */
export const SCHEDULE_COLUMNS = {
  isActive: 'is_active',
  jobType: 'job_type',
  cronExpression: 'cron_expression',
  intervalMs: 'interval_ms',
  runAt: 'run_at',
  timezone: 'timezone',
  pausedAt: 'paused_at',
  pausedUntil: 'paused_until',
} as const;

/** The schedule fields of a job (an entity, a definition or a row read by the scheduler). */
export interface ScheduleFields {
  /** Absent before the job exists (a preview of a create body): no jitter can be derived. */
  id?: string;
  jobType: JobType;
  cronExpression?: string | null;
  intervalMs?: number | null;
  runAt?: Date | null;
  timezone: string;
  startAt?: Date | null;
  endAt?: Date | null;
  jitterMs?: number | null;
  /** Scheduled runs left (maxRuns counts down); null or absent: unlimited. */
  remainingRuns?: number | null;
  pausedAt?: Date | null;
  pausedUntil?: Date | null;
}

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

export interface ScheduleControls {
  jobId: string | null;
  startAt: Date | null;
  endAt: Date | null;
  jitterMs: number;
  remaining: number | null;
  /** Set while paused: `until` null means until resumed by hand. */
  pause: { until: Date | null } | null;
}

export type Schedule = ScheduleTiming & ScheduleControls;

/** Why a slot of the rule is not fired (listed by the preview on request). */
export type SlotSkipReason = 'window' | 'pause';

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

/** Builds the schedule of a job. Throws when its cron expression cannot be parsed. */
export function scheduleOf(job: ScheduleFields): Schedule {
  return {
    ...timingOf(job),
    jobId: job.id ?? null,
    startAt: job.startAt ?? null,
    endAt: job.endAt ?? null,
    jitterMs: job.jitterMs ?? 0,
    remaining: job.remainingRuns ?? null,
    pause: job.pausedAt ? { until: job.pausedUntil ?? null } : null,
  };
}

/** Whether the job fires at most once (delayed and immediate jobs). */
export function isOneShot(schedule: Schedule): boolean {
  return (
    schedule.kind === 'immediate' ||
    schedule.kind === 'at' ||
    (schedule.kind === 'cron' && schedule.once)
  );
}

/** The rule's next slot strictly after `after`, ignoring the window. */
function ruleNext(schedule: Schedule, after: Date): Date | null {
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

/** The rule's first slot as of `now` (an immediate job: now), ignoring the window. */
function ruleFirst(schedule: Schedule, now: Date): Date | null {
  switch (schedule.kind) {
    case 'immediate':
      return now;
    case 'at':
      return schedule.at;
    case 'interval':
    case 'cron':
    case 'none':
      return ruleNext(schedule, now);
  }
}

function beforeStart(schedule: Schedule, t: Date): boolean {
  return schedule.startAt !== null && t.getTime() < schedule.startAt.getTime();
}

function afterEnd(schedule: Schedule, t: Date): boolean {
  return schedule.endAt !== null && t.getTime() > schedule.endAt.getTime();
}

/**
 * Moves a rule slot into the window: a slot before startAt becomes the rule's first slot at or
 * after startAt (an interval job starts at startAt itself; a one-shot time before it never
 * fires); a slot after endAt is none.
 */
function windowed(schedule: Schedule, slot: Date | null): Date | null {
  let s = slot;
  if (s && schedule.startAt && beforeStart(schedule, s)) {
    const start = schedule.startAt;
    switch (schedule.kind) {
      case 'interval':
      case 'immediate':
        s = start;
        break;
      case 'cron':
        s = schedule.once ? null : ruleNext(schedule, new Date(start.getTime() - 1));
        break;
      case 'at':
      case 'none':
        s = null;
    }
  }
  return s && !afterEnd(schedule, s) ? s : null;
}

/**
 * The next slot strictly after `after`, or null when there is none (a one-shot time that is
 * past, an immediate job, which activation itself fires, a cron rule that never fires again, or
 * the end of the window).
 */
export function nextSlot(schedule: Schedule, after: Date): Date | null {
  return windowed(schedule, ruleNext(schedule, after));
}

/**
 * The first slot of a newly created or re-activated job, as of `now`: an immediate job is due
 * now, a delayed job at its runAt (even if just past), anything else at its next slot; never
 * outside the window.
 */
export function firstSlot(schedule: Schedule, now: Date): Date | null {
  return windowed(schedule, ruleFirst(schedule, now));
}

/**
 * The first slot after a pause ends at `at`: the next slot strictly after it, so the slots of
 * the pause are not caught up (an immediate job that never ran is due at once).
 */
export function resumeSlot(schedule: Schedule, at: Date): Date | null {
  return schedule.kind === 'immediate' ? firstSlot(schedule, at) : nextSlot(schedule, at);
}

/**
 * The jitter of a slot: an offset in [0, jitterMs) derived from (job id, nominal slot), the same
 * on every replica and in the preview. 48 bits of SHA-256 make the modulo bias negligible.
 */
export function jitterOffsetMs(jobId: string | null, nominal: Date, jitterMs: number): number {
  if (!jitterMs || !jobId) {
    return 0;
  }
  const digest = createHash('sha256').update(`${jobId}|${nominal.toISOString()}`).digest();
  return digest.readUIntBE(0, 6) % jitterMs;
}

/** The instant a nominal slot actually fires (the slot plus its jitter). */
export function fireAt(schedule: Pick<Schedule, 'jobId' | 'jitterMs'>, nominal: Date): Date {
  const offset = jitterOffsetMs(schedule.jobId, nominal, schedule.jitterMs);
  return offset === 0 ? nominal : new Date(nominal.getTime() + offset);
}

/** The next `count` slots from `from`, strictly increasing; one-shot jobs yield at most one. */
export function previewSlots(schedule: Schedule, from: Date, count: number): Date[] {
  return slotPlan(schedule, from, count, false)
    .filter((p) => !p.skipped)
    .map((p) => p.nominal);
}

export interface PlannedSlot {
  /** When it fires (nominal + jitter); for a skipped slot, the nominal instant. */
  at: Date;
  nominal: Date;
  skipped?: SlotSkipReason;
}

/**
 * What the job will do from `from`: up to `count` slots that fire (after the window, the pause,
 * the remaining runs and jitter) and, with `withSkipped`, up to `count` rule slots that do not,
 * with the reason, all in nominal order.
 */
export function slotPlan(
  schedule: Schedule,
  from: Date,
  count: number,
  withSkipped: boolean,
): PlannedSlot[] {
  const skipped: PlannedSlot[] = [];
  const skip = (nominal: Date, reason: SlotSkipReason): boolean =>
    skipped.length < count && skipped.push({ at: nominal, nominal, skipped: reason }) > 0;
  const scan = (start: Date | null, until: (s: Date) => boolean, reason: SlotSkipReason): void => {
    for (
      let s = start;
      withSkipped && s && until(s) && skip(s, reason);
      s = ruleNext(schedule, s)
    ) {
      if (isOneShot(schedule)) {
        break;
      }
    }
  };
  let first: Date | null;
  let start = from;
  if (schedule.pause) {
    const until = schedule.pause.until;
    scan(ruleFirst(schedule, from), (s) => !until || s.getTime() <= until.getTime(), 'pause');
    if (!until) {
      return skipped;
    }
    start = until.getTime() > from.getTime() ? until : from;
    first = resumeSlot(schedule, start);
    scan(ruleNext(schedule, start), (s) => beforeStart(schedule, s), 'window');
  } else {
    first = firstSlot(schedule, from);
    scan(ruleFirst(schedule, from), (s) => beforeStart(schedule, s), 'window');
  }
  const runs: PlannedSlot[] = [];
  const limit = Math.min(count, schedule.remaining ?? count);
  let last: Date = start;
  for (let s = first; s && runs.length < limit; s = nextSlot(schedule, s)) {
    runs.push({ at: fireAt(schedule, s), nominal: s });
    last = s;
    if (isOneShot(schedule)) {
      break;
    }
  }
  if (schedule.endAt && runs.length < limit && !(isOneShot(schedule) && runs.length > 0)) {
    const end = schedule.endAt;
    const after = last.getTime() > end.getTime() ? last : end;
    scan(ruleNext(schedule, after), () => true, 'window');
  }
  return [...skipped, ...runs].sort((a, b) => a.nominal.getTime() - b.nominal.getTime());
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
