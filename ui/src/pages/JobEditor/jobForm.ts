import type { CreateJob, Job } from '../../api/client';
import { isoFromLocalInput, localInputOf } from '../../lib/fieldErrors';

/** The editor's fields, as the inputs hold them (text for numbers and JSON). */
export interface JobFormValues {
  name: string;
  description: string;
  jobType: CreateJob['jobType'] & string;
  /** Which timing the job uses: a cron expression, a fixed interval or one instant. */
  timing: 'cron' | 'interval' | 'runAt';
  cronExpression: string;
  intervalSeconds: string;
  runAt: string;
  timezone: string;
  isActive: boolean;
  targetType: 'handler' | 'http';
  handlerName: string;
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  payload: string;
  timeoutMs: string;
  maxRetries: string;
  retryDelayMs: string;
  retryBackoff: 'fixed' | 'exponential';
  concurrencyPolicy: 'forbid' | 'allow' | 'replace' | 'queue_one';
  misfirePolicy: 'fire_once' | 'skip' | 'fire_all';
  tags: string;
  /** Schedule controls (design 7.2): the window as datetime-local inputs, numbers as text. */
  startAt: string;
  endAt: string;
  jitterMs: string;
  maxRuns: string;
  excludeCalendars: string[];
  autoPauseAfterFailures: string;
  /** Alerts (issue 17): the channels (none: alerts off), the events, the windows in minutes. */
  alertChannels: string[];
  alertOnFailure: boolean;
  alertOnRecovery: boolean;
  alertOnAutoPause: boolean;
  missedAfterMinutes: string;
  noSuccessWithinMinutes: string;
}

const MINUTE_MS = 60_000;
/** Minutes as the input shows them (0.5 for 30 s), or empty for no window. */
const minutesOf = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '' : String(ms / MINUTE_MS);

export function emptyForm(timezone: string): JobFormValues {
  return {
    name: '',
    description: '',
    jobType: 'scheduled',
    timing: 'cron',
    cronExpression: '0 * * * *',
    intervalSeconds: '60',
    runAt: '',
    timezone,
    isActive: true,
    targetType: 'handler',
    handlerName: 'log',
    url: '',
    method: 'POST',
    payload: '{}',
    timeoutMs: '30000',
    maxRetries: '0',
    retryDelayMs: '1000',
    retryBackoff: 'fixed',
    concurrencyPolicy: 'forbid',
    misfirePolicy: 'fire_once',
    tags: '',
    startAt: '',
    endAt: '',
    jitterMs: '0',
    maxRuns: '',
    excludeCalendars: [],
    autoPauseAfterFailures: '',
    alertChannels: [],
    alertOnFailure: true,
    alertOnRecovery: true,
    alertOnAutoPause: true,
    missedAfterMinutes: '',
    noSuccessWithinMinutes: '',
  };
}

export function formFromJob(job: Job): JobFormValues {
  return {
    name: job.name,
    description: job.description ?? '',
    jobType: job.jobType,
    timing: job.intervalMs ? 'interval' : job.runAt ? 'runAt' : 'cron',
    cronExpression: job.cronExpression ?? '',
    intervalSeconds: job.intervalMs ? String(job.intervalMs / 1000) : '60',
    runAt: job.runAt ? localInputOf(job.runAt) : '',
    timezone: job.timezone,
    isActive: job.isActive,
    targetType: job.target.type,
    handlerName: job.target.type === 'handler' ? job.target.name : 'log',
    url: job.target.type === 'http' ? job.target.url : '',
    method: (job.target.type === 'http' && job.target.method) || 'POST',
    payload: JSON.stringify(job.payload ?? {}, null, 2),
    timeoutMs: String(job.timeoutMs),
    maxRetries: String(job.maxRetries),
    retryDelayMs: String(job.retryDelayMs),
    retryBackoff: job.retryBackoff,
    concurrencyPolicy: job.concurrencyPolicy,
    misfirePolicy: job.misfirePolicy,
    tags: job.tags.join(', '),
    startAt: job.startAt ? localInputOf(job.startAt) : '',
    endAt: job.endAt ? localInputOf(job.endAt) : '',
    jitterMs: String(job.jitterMs),
    maxRuns: job.maxRuns === null ? '' : String(job.maxRuns),
    excludeCalendars: [...job.excludeCalendars],
    autoPauseAfterFailures:
      job.autoPauseAfterFailures === null ? '' : String(job.autoPauseAfterFailures),
    alertChannels: [...(job.alerts?.channels ?? [])],
    alertOnFailure: job.alerts?.onFailure ?? true,
    alertOnRecovery: job.alerts?.onRecovery ?? true,
    alertOnAutoPause: job.alerts?.onAutoPause ?? true,
    missedAfterMinutes: minutesOf(job.alerts?.missedAfterMs),
    noSuccessWithinMinutes: minutesOf(job.alerts?.noSuccessWithinMs),
  };
}

/** An input the form itself cannot turn into the body (shown beside `field`, nothing is sent). */
export class FormInputError extends Error {
  constructor(
    readonly field: keyof JobFormValues,
    message: string,
  ) {
    super(message);
  }
}

export class PayloadError extends FormInputError {
  constructor() {
    super('payload', 'Payload must be valid JSON');
  }
}

/**
 * The body's `alerts`: null while no channel is chosen (on an update that turns them off), else
 * the object with the windows in ms (empty: no window). Minutes that are not a number are refused
 * here: sent, they would be null (JSON has no NaN) and silently drop the window.
 */
export function alertsFromForm(v: JobFormValues): CreateJob['alerts'] {
  if (v.alertChannels.length === 0) {
    return null;
  }
  const msOf = (field: 'missedAfterMinutes' | 'noSuccessWithinMinutes') => {
    const text = v[field].trim();
    if (text === '') {
      return null;
    }
    const minutes = Number(text);
    if (!Number.isFinite(minutes)) {
      throw new FormInputError(field, 'Enter a number of minutes, or leave it empty');
    }
    return Math.round(minutes * MINUTE_MS);
  };
  return {
    channels: v.alertChannels,
    onFailure: v.alertOnFailure,
    onRecovery: v.alertOnRecovery,
    onAutoPause: v.alertOnAutoPause,
    missedAfterMs: msOf('missedAfterMinutes'),
    noSuccessWithinMs: msOf('noSuccessWithinMinutes'),
  };
}

/**
 * The request body for POST /api/jobs (and PUT, where null clears the timings not chosen). Number
 * fields go as typed numbers; the API validates everything and answers per field.
 */
export function bodyFromForm(v: JobFormValues): CreateJob {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(v.payload || '{}') as Record<string, unknown>;
  } catch {
    throw new PayloadError();
  }
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  // Empty clears a nullable control (null), so an edit can remove a window or a limit.
  const orNull = (s: string) => (s.trim() === '' ? null : Number(s));
  const interval = num(v.intervalSeconds);
  return {
    name: v.name.trim(),
    description: v.description.trim() || undefined,
    jobType: v.jobType,
    cronExpression: v.timing === 'cron' ? v.cronExpression.trim() : null,
    intervalMs:
      v.timing === 'interval' && interval !== undefined ? Math.round(interval * 1000) : null,
    runAt: v.timing === 'runAt' ? isoFromLocalInput(v.runAt) : null,
    timezone: v.timezone.trim(),
    isActive: v.isActive,
    target:
      v.targetType === 'http'
        ? { type: 'http', url: v.url.trim(), method: v.method }
        : { type: 'handler', name: v.handlerName.trim() },
    payload,
    timeoutMs: num(v.timeoutMs),
    maxRetries: num(v.maxRetries),
    retryDelayMs: num(v.retryDelayMs),
    retryBackoff: v.retryBackoff,
    concurrencyPolicy: v.concurrencyPolicy,
    misfirePolicy: v.misfirePolicy,
    tags: v.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    startAt: isoFromLocalInput(v.startAt),
    endAt: isoFromLocalInput(v.endAt),
    jitterMs: num(v.jitterMs),
    maxRuns: orNull(v.maxRuns),
    excludeCalendars: v.excludeCalendars,
    autoPauseAfterFailures: orNull(v.autoPauseAfterFailures),
    alerts: alertsFromForm(v),
  };
}

/**
 * The body the live preview sends (POST /api/jobs/preview validates it as a create): the form's,
 * with a stand-in name while none is typed (the preview is about the schedule), or null while an
 * input cannot be sent (a payload that is not JSON: the form says so beside the field).
 */
export function previewBodyFromForm(v: JobFormValues): CreateJob | null {
  try {
    const body = bodyFromForm(v);
    return { ...body, name: body.name || 'draft' };
  } catch (e) {
    if (e instanceof FormInputError) {
      return null;
    }
    throw e;
  }
}

const FIELD_OF: Record<string, keyof JobFormValues> = {
  intervalMs: 'intervalSeconds',
  'target.url': 'url',
  'target.method': 'method',
  'target.name': 'handlerName',
  'target.type': 'targetType',
  target: 'targetType',
  alerts: 'alertChannels',
  'alerts.channels': 'alertChannels',
  'alerts.onFailure': 'alertOnFailure',
  'alerts.onRecovery': 'alertOnRecovery',
  'alerts.onAutoPause': 'alertOnAutoPause',
  'alerts.missedAfterMs': 'missedAfterMinutes',
  'alerts.noSuccessWithinMs': 'noSuccessWithinMinutes',
};

/**
 * The editor field an API error detail belongs beside ("target.url" -> url, "tags.3" -> tags,
 * "alerts.channels.0" -> alertChannels), or null when no field shows it (the form's top-level
 * alert does).
 */
export function formFieldOf(apiField: string): keyof JobFormValues | null {
  const parts = apiField.split('.');
  // The longest known prefix: "alerts.missedAfterMs" before "alerts".
  for (let n = parts.length; n > 0; n--) {
    const mapped = FIELD_OF[parts.slice(0, n).join('.')];
    if (mapped) {
      return mapped;
    }
  }
  const head = parts[0];
  const known = Object.keys(emptyForm('UTC')) as (keyof JobFormValues)[];
  return (known as string[]).includes(head) ? (head as keyof JobFormValues) : null;
}
