import type { ErrorDetail } from '../core/errors/app-error.js';
import type { CreateJobDto } from './dto/create-job.dto.js';
import type { UpdateJobDto } from './dto/update-job.dto.js';
import { targetUrlProblem } from '../core/net/target-policy.js';
import type { HandlerCatalog } from './handler-catalog.js';
import { normalizeAlerts } from './job-alerts.js';
import type { JobEntity, JobTarget } from './job.entity.js';
import { cronProblem, firstSlot, scheduleOf } from './schedule/schedule.js';

/** The writable part of a job: what create builds and a partial update merges into. */
export type JobDefinition = Pick<
  JobEntity,
  | 'name'
  | 'description'
  | 'cronExpression'
  | 'isActive'
  | 'jobType'
  | 'payload'
  | 'timeoutMs'
  | 'maxRetries'
  | 'retryDelayMs'
  | 'createdBy'
  | 'tags'
  | 'timezone'
  | 'intervalMs'
  | 'runAt'
  | 'target'
  | 'concurrencyPolicy'
  | 'misfirePolicy'
  | 'retryBackoff'
  | 'startAt'
  | 'endAt'
  | 'jitterMs'
  | 'maxRuns'
  | 'excludeCalendars'
  | 'alerts'
  | 'autoPauseAfterFailures'
>;

const FIELDS = [
  'name',
  'description',
  'cronExpression',
  'isActive',
  'jobType',
  'payload',
  'timeoutMs',
  'maxRetries',
  'retryDelayMs',
  'createdBy',
  'tags',
  'timezone',
  'intervalMs',
  'runAt',
  'target',
  'concurrencyPolicy',
  'misfirePolicy',
  'retryBackoff',
  'startAt',
  'endAt',
  'jitterMs',
  'maxRuns',
  'excludeCalendars',
  'alerts',
  'autoPauseAfterFailures',
] as const satisfies readonly (keyof JobDefinition)[];

const NULLABLE = new Set([
  'description',
  'cronExpression',
  'createdBy',
  'intervalMs',
  'runAt',
  'startAt',
  'endAt',
  'maxRuns',
  'alerts',
  'autoPauseAfterFailures',
]);
/** Fields given as ISO strings and stored as instants. */
const INSTANTS = new Set(['runAt', 'startAt', 'endAt']);
const TIMING: (keyof JobDefinition)[] = [
  'jobType',
  'cronExpression',
  'intervalMs',
  'runAt',
  'timezone',
  'isActive',
  'startAt',
  'endAt',
  'maxRuns',
];

/** Only the definition columns of a stored job (never counters or timestamps). */
export function definitionOf(job: JobDefinition): JobDefinition {
  return Object.fromEntries(FIELDS.map((k) => [k, job[k]])) as unknown as JobDefinition;
}

export function definitionFromCreate(dto: CreateJobDto, defaultTimezone: string): JobDefinition {
  return {
    name: dto.name,
    description: dto.description ?? null,
    cronExpression: dto.cronExpression ?? null,
    isActive: dto.isActive ?? true,
    jobType: dto.jobType ?? 'scheduled',
    payload: dto.payload ?? {},
    timeoutMs: dto.timeoutMs ?? 30000,
    maxRetries: dto.maxRetries ?? 3,
    retryDelayMs: dto.retryDelayMs ?? 5000,
    createdBy: dto.createdBy ?? null,
    tags: dto.tags ?? [],
    timezone: dto.timezone ?? defaultTimezone,
    intervalMs: dto.intervalMs ?? null,
    runAt: dto.runAt ? new Date(dto.runAt) : null,
    target: dto.target ? ({ ...dto.target } as JobTarget) : { type: 'handler', name: 'log' },
    concurrencyPolicy: dto.concurrencyPolicy ?? 'forbid',
    misfirePolicy: dto.misfirePolicy ?? 'fire_once',
    retryBackoff: dto.retryBackoff ?? 'fixed',
    startAt: dto.startAt ? new Date(dto.startAt) : null,
    endAt: dto.endAt ? new Date(dto.endAt) : null,
    jitterMs: dto.jitterMs ?? 0,
    maxRuns: dto.maxRuns ?? null,
    excludeCalendars: dto.excludeCalendars ?? [],
    alerts: normalizeAlerts(dto.alerts),
    autoPauseAfterFailures: dto.autoPauseAfterFailures ?? null,
  };
}

/** Applies a partial update; `null` clears nullable fields and is reported for the others. */
export function mergeDefinition(
  current: JobDefinition,
  patch: UpdateJobDto,
): { merged: JobDefinition; problems: ErrorDetail[] } {
  const merged: JobDefinition = { ...current };
  const problems: ErrorDetail[] = [];
  const record = merged as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || !(FIELDS as readonly string[]).includes(key)) {
      continue;
    }
    if (value === null && !NULLABLE.has(key)) {
      problems.push({ field: key, message: `${key} must not be null` });
      continue;
    }
    record[key] = INSTANTS.has(key) && value !== null ? new Date(value as string) : value;
  }
  if (patch.target) {
    merged.target = { ...patch.target } as JobTarget;
  }
  if (patch.alerts !== undefined) {
    merged.alerts = normalizeAlerts(patch.alerts);
  }
  return { merged, problems };
}

export function timingChanged(before: JobDefinition, after: JobDefinition): boolean {
  return TIMING.some((k) => {
    const a = before[k];
    const b = after[k];
    return a instanceof Date || b instanceof Date
      ? (a as Date | null)?.getTime() !== (b as Date | null)?.getTime()
      : a !== b;
  });
}

export interface RuleContext {
  now: Date;
  /** Whether runAt must lie in the future (on create, and when runAt or activation changes). */
  checkRunAt: boolean;
  handlers: HandlerCatalog;
  /** HTTP_TARGET_ALLOWLIST; empty allows any host that is not refused outright. */
  targetAllowlist: string[];
}

/** Rules across fields, on the whole (merged) definition; one entry per broken rule. */
export function definitionProblems(def: JobDefinition, ctx: RuleContext): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const add = (field: string, message: string): number => out.push({ field, message });
  const { jobType, cronExpression: cron, intervalMs, runAt } = def;
  if (jobType === 'scheduled' && !cron) {
    add('cronExpression', 'cronExpression is required for scheduled jobs');
  }
  if (jobType === 'recurring' && !cron && intervalMs === null) {
    add('intervalMs', 'recurring jobs need intervalMs or cronExpression');
  }
  if (jobType === 'delayed' && !cron && !runAt) {
    add('runAt', 'delayed jobs need runAt or cronExpression');
  }
  if (intervalMs !== null && jobType !== 'recurring') {
    add('intervalMs', 'intervalMs is only allowed for recurring jobs');
  }
  if (runAt && jobType !== 'delayed') {
    add('runAt', 'runAt is only allowed for delayed jobs');
  }
  if (runAt && ctx.checkRunAt && runAt.getTime() <= ctx.now.getTime()) {
    add('runAt', 'runAt must be in the future');
  }
  const problem = cron ? cronProblem(cron, def.timezone) : null;
  if (problem) {
    add('cronExpression', `cronExpression ${problem}`);
  }
  out.push(...windowProblems(def, ctx));
  const urlProblem =
    def.target.type === 'http' ? targetUrlProblem(def.target.url, ctx.targetAllowlist) : null;
  if (urlProblem) {
    add('target.url', `target.url ${urlProblem}`);
  }
  if (def.target.type === 'handler' && !ctx.handlers.has(def.target.name)) {
    add(
      'target.name',
      `unknown handler "${def.target.name}" (known: ${ctx.handlers.names().join(', ')})`,
    );
  }
  return out;
}

/**
 * The window rules: endAt after startAt and (when checked, as runAt) in the future, a runAt
 * inside the window, and an active job left with at least one slot to fire.
 */
function windowProblems(def: JobDefinition, ctx: RuleContext): ErrorDetail[] {
  const { startAt, endAt, runAt } = def;
  const problem = (field: string, message: string): ErrorDetail[] => [{ field, message }];
  if (startAt && endAt && endAt.getTime() <= startAt.getTime()) {
    return problem('endAt', 'endAt must be after startAt');
  }
  if (endAt && ctx.checkRunAt && endAt.getTime() <= ctx.now.getTime()) {
    return problem('endAt', 'endAt must be in the future');
  }
  const outside = (t: Date): boolean =>
    (startAt !== null && t.getTime() < startAt.getTime()) ||
    (endAt !== null && t.getTime() > endAt.getTime());
  if (runAt && outside(runAt)) {
    return problem('runAt', 'runAt must lie between startAt and endAt');
  }
  if (endAt && def.isActive && ctx.checkRunAt && noSlotLeft(def, ctx.now)) {
    return problem('endAt', 'endAt leaves no slot to fire');
  }
  return [];
}

function noSlotLeft(def: JobDefinition, now: Date): boolean {
  try {
    return def.jobType !== 'immediate' && firstSlot(scheduleOf(def), now) === null;
  } catch {
    return false; // an unparsable cron is the cronExpression rule's problem
  }
}

/** nextRunAt of an active job as of `now` (null when inactive), the way the scheduler computes it. */
export function initialNextRunAt(def: JobDefinition, now: Date): Date | null {
  return def.isActive ? firstSlot(scheduleOf(def), now) : null;
}
