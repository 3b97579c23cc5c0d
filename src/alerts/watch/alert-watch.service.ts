import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EventBus } from '../../core/events/event-bus.js';
import { AlertWatchRepository } from './alert-watch.repository.js';

/**
 * Evaluates job.missed and job.no_success every ALERT_WATCH_INTERVAL_MS on every replica with
 * NOTIFICATIONS_ENABLED, whether or not it fires jobs: a slot nobody ran is exactly the case where
 * no scheduler is firing. The advisory lock in the pass lets one replica at a time do it.
 */
@Injectable()
export class AlertWatchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertWatchService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly watch: AlertWatchRepository,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.alerts.enabled) {
      this.arm();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private arm(): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.arm());
    }, this.config.alerts.watchIntervalMs);
  }

  private async tick(): Promise<void> {
    try {
      const queued = await this.watch.pass(this.config.scheduler.executionRetentionDays);
      if (queued) {
        this.events.publish('notifications.queued', { count: queued });
      }
    } catch (e) {
      this.logger.warn(`alert watch pass failed: ${(e as Error).message}`);
    }
  }
}
