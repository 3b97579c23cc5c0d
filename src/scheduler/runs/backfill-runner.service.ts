import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EventBus } from '../../core/events/event-bus.js';
import { BackfillsRepository } from '../../executions/backfills.repository.js';
import { HeartbeatService } from '../cluster/heartbeat.service.js';
import { DispatcherService } from './dispatcher.service.js';
import { FinishQueue } from './finish-queue.js';
import { PollLoop } from './poll-loop.js';

/** How often every replica looks for backfill slots to start (any replica may have stored them). */
export const BACKFILL_POLL_MS = 1000;
const CLAIM_LIMIT = 50;

/**
 * Runs backfills (`BackfillsRepository.claimNext`): polls, and looks again as soon as a run ends
 * on this replica while backfills are running (so slots follow each other without waiting for the
 * next poll) or one is created here. Durable: a restarted or another replica carries on at the
 * cursor.
 */
@Injectable()
export class BackfillRunner {
  private readonly logger = new Logger(BackfillRunner.name);
  private readonly loop = new PollLoop(() => this.step(), BACKFILL_POLL_MS);
  /** Whether the last look found running backfills (only then do finished runs trigger one). */
  private active = false;

  constructor(
    private readonly repo: BackfillsRepository,
    private readonly dispatcher: DispatcherService,
    private readonly finishes: FinishQueue,
    private readonly heartbeat: HeartbeatService,
    events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    events.subscribe('execution.finished', () => this.active && this.loop.poll());
    events.subscribe('backfill.created', () => this.loop.poll());
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async step(): Promise<void> {
    // As for slots: no claims without the session lock or before held outcomes are written.
    if (!this.heartbeat.healthy || this.finishes.backlogged) {
      return;
    }
    try {
      this.active = await this.repo.anyRunning();
      if (!this.active) {
        return;
      }
      await this.repo.completeFinished();
      for (;;) {
        const runs = await this.repo.claimNext(this.config.scheduler.replicaId, CLAIM_LIMIT);
        runs.forEach((run) => void this.dispatcher.dispatch(run));
        if (runs.length < CLAIM_LIMIT || !this.loop.running) {
          return;
        }
      }
    } catch (e) {
      this.logger.warn(`starting backfill runs failed: ${(e as Error).message}`);
    }
  }
}
