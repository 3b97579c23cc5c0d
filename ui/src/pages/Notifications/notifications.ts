import type { Schemas } from '../../api/client';

export type Notification = Schemas['NotificationResponseDto'];
export type NotificationStatus = Notification['status'];
export type NotificationEvent = Notification['event'];

export const NOTIFICATION_STATUSES: NotificationStatus[] = [
  'pending',
  'sending',
  'delivered',
  'failed',
];
export const NOTIFICATION_EVENTS: NotificationEvent[] = [
  'job.failed',
  'job.recovered',
  'job.auto_paused',
  'job.missed',
  'job.no_success',
  'channel.test',
];

export const STATUS_COLORS: Record<NotificationStatus, string> = {
  pending: 'yellow',
  sending: 'blue',
  delivered: 'green',
  failed: 'red',
};

/**
 * The run a notification offers to replay: a `job.failed` alert is sent for a run that failed for
 * good (a dead letter), and POST /api/executions/{id}/replay runs exactly those once more.
 */
export function replayableExecution(n: Pick<Notification, 'event' | 'payload'>): string | null {
  if (n.event !== 'job.failed') {
    return null;
  }
  const execution = n.payload.execution as { id?: unknown } | undefined;
  return typeof execution?.id === 'string' ? execution.id : null;
}

/** The job's name as the payload carries it (the job may since have been renamed or deleted). */
export function jobNameOf(n: Pick<Notification, 'payload'>): string | null {
  const job = n.payload.job as { name?: unknown } | undefined;
  return typeof job?.name === 'string' ? job.name : null;
}

/** The URL's `?status=…&event=…&channel=…` as a notifications query (unknown values dropped). */
export function filtersFrom(params: URLSearchParams): {
  status?: NotificationStatus;
  event?: NotificationEvent;
  channel?: string;
} {
  const status = params.get('status') as NotificationStatus | null;
  const event = params.get('event') as NotificationEvent | null;
  const channel = params.get('channel');
  return {
    ...(status && NOTIFICATION_STATUSES.includes(status) ? { status } : {}),
    ...(event && NOTIFICATION_EVENTS.includes(event) ? { event } : {}),
    ...(channel && /^[0-9a-f-]{36}$/i.test(channel) ? { channel } : {}),
  };
}
