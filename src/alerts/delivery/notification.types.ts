import type { ChannelType } from '../channels/channel.types.js';

export const NOTIFICATION_EVENTS = [
  'job.failed',
  'job.recovered',
  'job.auto_paused',
  'job.missed',
  'job.no_success',
  'channel.test',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** An outbox row, as listed. */
export interface NotificationRow {
  id: string;
  channelId: string;
  jobId: string | null;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A row claimed for delivery by this replica, with what sending needs of its channel. */
export interface ClaimedNotification {
  id: string;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  /** This attempt's number (1 for the first). */
  attempt: number;
  channelType: ChannelType;
  url: string;
  secret: string | null;
}

export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  httpStatus: number | null;
  /** null when delivered. */
  error: string | null;
}

export interface NotificationFilter {
  channelId?: string;
  jobId?: string;
  status?: NotificationStatus;
  event?: NotificationEvent;
}
