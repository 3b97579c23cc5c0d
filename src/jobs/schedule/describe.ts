import cronstrue from 'cronstrue';
import { localIso } from '../../core/time/zone.js';
import { CRON_MACROS } from './cron.js';
import type { ScheduleFields } from './schedule.js';

/** A cron expression in words (cronstrue, 24-hour clock), or the expression itself. */
export function cronInWords(expression: string): string {
  // cronstrue does not read the macros: spell them out first.
  const text = CRON_MACROS[expression.trim().toLowerCase()] ?? expression;
  try {
    return cronstrue.toString(text, {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch {
    return expression;
  }
}

function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return n === 1 ? name : `${n} ${name}s`;
    }
  }
  return `${ms} ms`;
}

/**
 * The schedule in words for people (preview, console): the rule, its zone, and the controls
 * (window, jitter, run limit, pause).
 */
export function describeSchedule(job: ScheduleFields): string {
  const zone = job.timezone;
  let rule: string;
  if (job.jobType === 'immediate') {
    rule = 'Once, as soon as the job is created or activated';
  } else if (job.jobType === 'delayed' && job.runAt) {
    rule = `Once, at ${localIso(zone, job.runAt)}`;
  } else if (job.jobType === 'recurring' && job.intervalMs) {
    rule = `Every ${duration(job.intervalMs)}`;
  } else if (job.cronExpression) {
    const once = job.jobType === 'delayed' ? ' (once: the first such time)' : '';
    rule = `${cronInWords(job.cronExpression)}${once}, ${zone} time`;
  } else {
    rule = 'Never (no timing)';
  }
  const parts = [rule];
  if (job.startAt) {
    parts.push(`from ${localIso(zone, job.startAt)}`);
  }
  if (job.endAt) {
    parts.push(`until ${localIso(zone, job.endAt)}`);
  }
  if (job.jitterMs) {
    parts.push(`each run up to ${duration(job.jitterMs)} late (jitter)`);
  }
  if (job.maxRuns) {
    parts.push(`at most ${job.maxRuns} run${job.maxRuns === 1 ? '' : 's'}`);
  }
  if (job.pausedAt) {
    parts.push(job.pausedUntil ? `paused until ${localIso(zone, job.pausedUntil)}` : 'paused');
  }
  return parts.join('; ');
}
