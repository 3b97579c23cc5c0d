import type { ChannelType } from '../channels/channel.types.js';
import type { NotificationEvent } from './notification.types.js';

/**
 * What a channel receives for a notification (pure). Webhook: the event as JSON, with the
 * notification id (a receiver dedupes on it). Slack: an incoming-webhook message, `text` (the
 * fallback and notification line) plus a `blocks` section in mrkdwn.
 */

interface Payload {
  event?: string;
  occurredAt?: string;
  job?: { id?: string; name?: string; consecutiveFailures?: number };
  execution?: {
    status?: string;
    errorMessage?: string | null;
    attempt?: number;
    httpStatus?: number | null;
    scheduledFor?: string | null;
  };
  slot?: string;
  missedAfterMs?: number;
  lastSuccessAt?: string | null;
  noSuccessWithinMs?: number;
  message?: string;
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackText(event: NotificationEvent, payload: Record<string, unknown>): string {
  const p = payload as Payload;
  const job = `*${escape(p.job?.name ?? 'unknown job')}*`;
  const x = p.execution;
  switch (event) {
    case 'job.failed': {
      const http = x?.httpStatus ? `, HTTP ${x.httpStatus}` : '';
      return `:x: Job ${job} failed (${x?.status ?? 'failed'}, attempt ${x?.attempt ?? 1}${http}): ${escape(x?.errorMessage ?? 'no message')}`;
    }
    case 'job.recovered':
      return `:white_check_mark: Job ${job} recovered: it succeeded again`;
    case 'job.auto_paused':
      return `:double_vertical_bar: Job ${job} was paused after ${p.job?.consecutiveFailures ?? '?'} consecutive failures`;
    case 'job.missed':
      return `:warning: Job ${job} missed its slot at ${p.slot ?? '?'} (not started within ${p.missedAfterMs ?? '?'} ms)`;
    case 'job.no_success':
      return `:warning: Job ${job} has not succeeded within ${p.noSuccessWithinMs ?? '?'} ms (last success: ${p.lastSuccessAt ?? 'never'})`;
    case 'channel.test':
      return `:bell: ${escape(p.message ?? 'Test notification')}`;
  }
}

export function notificationBody(
  type: ChannelType,
  id: string,
  event: NotificationEvent,
  payload: Record<string, unknown>,
): string {
  if (type === 'webhook') {
    return JSON.stringify({ id, ...payload });
  }
  const text = slackText(event, payload);
  return JSON.stringify({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${event} · notification ${id}` }],
      },
    ],
  });
}
