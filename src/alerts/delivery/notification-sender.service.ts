import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EventBus } from '../../core/events/event-bus.js';
import { signBody } from '../../core/net/signature.js';
import { assertUrlAllowed } from '../../core/net/target-policy.js';
import { Clock } from '../../core/time/clock.js';
import { NotificationClient } from './notification-client.js';
import { notificationBody } from './notification-format.js';
import type { AttemptOutcome, ClaimedNotification } from './notification.types.js';
import { NotificationsRepository } from './notifications.repository.js';

const BATCH = 20;
const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** A claim outlives one attempt's timeout by this much before another replica may take it. */
const LEASE_MARGIN_MS = 30_000;

/** Delay before attempt `attempt + 1`: the base, doubling per attempt, capped at 15 minutes. */
export function notificationBackoffMs(baseMs: number, attempt: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}

/**
 * Delivers the outbox. Every replica with NOTIFICATIONS_ENABLED runs one: it claims due rows
 * (exclusive, see NotificationsRepository.claim), POSTs each to its channel (webhooks signed with
 * the channel's secret), and records the attempt; a failure is retried with backoff until
 * NOTIFICATION_MAX_ATTEMPTS, then the row is `failed`. It polls every NOTIFICATION_POLL_MS and
 * wakes at once when this replica queued something. Independent of SCHEDULER_ENABLED.
 */
@Injectable()
export class NotificationSenderService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(NotificationSenderService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private wakeAgain = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly outbox: NotificationsRepository,
    private readonly client: NotificationClient,
    private readonly events: EventBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.alerts.enabled) {
      return;
    }
    this.unsubscribe = this.events.subscribe('notifications.queued', () => this.wake());
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now (or right after the one in progress). */
  wake(): void {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAgain = true;
    this.running = this.running.then(() => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.wakeAgain && !this.stopped) {
      this.wakeAgain = false;
      let claimed = 0;
      try {
        claimed = await this.pass();
      } catch (e) {
        this.logger.warn(`notification pass failed: ${(e as Error).message}`);
      }
      if (claimed >= BATCH) {
        this.wakeAgain = true;
      }
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped || this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, this.config.alerts.pollMs);
  }

  /** Claims one batch and delivers it; returns how many rows it claimed. */
  private async pass(): Promise<number> {
    const { timeoutMs } = this.config.alerts;
    const rows = await this.outbox.claim(
      this.config.scheduler.replicaId,
      BATCH,
      timeoutMs + LEASE_MARGIN_MS,
    );
    await Promise.all(rows.map((n) => this.deliver(n)));
    return rows.length;
  }

  private async deliver(n: ClaimedNotification): Promise<void> {
    const outcome = await this.attempt(n);
    const { maxAttempts, retryBaseMs } = this.config.alerts;
    const retryAt =
      outcome.error !== null && n.attempt < maxAttempts
        ? new Date(this.clock.nowMs() + notificationBackoffMs(retryBaseMs, n.attempt))
        : null;
    const kept = await this.outbox.settle(n.id, this.config.scheduler.replicaId, outcome, retryAt);
    if (!kept) {
      this.logger.warn({ msg: 'notification claim lost before its result was stored', id: n.id });
    }
    this.events.publish('notification.attempted', {
      channelType: n.channelType,
      event: n.event,
      delivered: outcome.error === null,
    });
    if (outcome.error !== null) {
      this.logger.warn({
        msg: retryAt ? 'notification attempt failed; will retry' : 'notification failed for good',
        id: n.id,
        event: n.event,
        attempt: n.attempt,
        error: outcome.error,
      });
    }
  }

  private async attempt(n: ClaimedNotification): Promise<AttemptOutcome> {
    const startedAt = this.clock.now();
    const done = (httpStatus: number | null, error: string | null): AttemptOutcome => ({
      startedAt,
      durationMs: Math.max(0, Math.round(this.clock.nowMs() - startedAt.getTime())),
      httpStatus,
      error,
    });
    try {
      assertUrlAllowed(n.url, this.config.targets.allowlist);
      const body = notificationBody(n.channelType, n.id, n.event, n.payload);
      const res = await this.client.post(
        n.url,
        this.headers(n, body),
        body,
        this.config.alerts.timeoutMs,
      );
      if (res.status >= 200 && res.status < 300) {
        return done(res.status, null);
      }
      return done(res.status, `HTTP ${res.status} from channel: ${res.body.slice(0, 200)}`);
    } catch (e) {
      const err = e as Error & { cause?: { message?: string } };
      const cause = err.cause?.message ? `: ${err.cause.message}` : '';
      return done(null, `${err.message ?? String(e)}${cause}`.slice(0, 500));
    }
  }

  private headers(n: ClaimedNotification, body: string): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'job-scheduler',
    };
    if (n.channelType === 'webhook') {
      headers['x-notification-id'] = n.id;
      headers['x-notification-event'] = n.event;
      headers['x-attempt'] = String(n.attempt);
      headers['idempotency-key'] = n.id;
      if (n.secret) {
        headers['x-signature'] = signBody(n.secret, Math.floor(this.clock.nowMs() / 1000), body);
      }
    }
    return headers;
  }
}
