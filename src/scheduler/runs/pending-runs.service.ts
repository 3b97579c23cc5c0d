import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EventBus } from '../../core/events/event-bus.js';
import { Clock } from '../../core/time/clock.js';
import { DispatcherService } from './dispatcher.service.js';
import { FinishQueue } from './finish-queue.js';
import { HeartbeatService } from '../cluster/heartbeat.service.js';
import { RunClaimsRepository } from '../../executions/run-claims.repository.js';
import { PollLoop } from './poll-loop.js';

/** How often every replica looks for due pending runs stored by any replica. */
export const PENDING_POLL_MS = 1000;
const CLAIM_LIMIT = 200;

/**
 * Runs the durable pending runs (retries, recovery re-runs, fire_all catch-ups, queue_one's
 * waiting slot) when they fall
 * due. Polling makes runs stored by a replica that died still happen; a retry stored by this
 * replica also sets a timer for its run_at, so it starts on time rather than on the next poll.
 */
@Injectable()
export class PendingRunsService {
  private readonly logger = new Logger(PendingRunsService.name);
  private readonly wakeups = new Set<NodeJS.Timeout>();
  private readonly loop = new PollLoop(() => this.drainDue(), PENDING_POLL_MS);

  constructor(
    private readonly repo: RunClaimsRepository,
    private readonly dispatcher: DispatcherService,
    private readonly clock: Clock,
    private readonly finishes: FinishQueue,
    private readonly heartbeat: HeartbeatService,
    events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // A stored retry (or recovery re-run) wakes the poller at its time, not at the next poll.
    events.subscribe('retry.scheduled', (e) => this.wakeAt(e.runAt));
    // A queue_one slot waits for the run in progress: it starts as soon as that one is recorded.
    events.subscribe('execution.finished', (e) => {
      if (e.concurrencyPolicy === 'queue_one') {
        this.poll();
      }
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.wakeups.forEach((t) => clearTimeout(t));
    this.wakeups.clear();
    await this.loop.stop();
  }

  wakeAt(runAt: Date): void {
    if (!this.loop.running) {
      return;
    }
    const t = setTimeout(
      () => {
        this.wakeups.delete(t);
        this.poll();
      },
      Math.max(runAt.getTime() - this.clock.nowMs(), 0) + 5,
    );
    this.wakeups.add(t);
  }

  /** Looks for due pending runs now (one claim loop at a time, see PollLoop). */
  poll(): void {
    this.loop.poll();
  }

  private async drainDue(): Promise<void> {
    // As for slots: no claims without the session lock or before held outcomes are written.
    if (!this.heartbeat.healthy || this.finishes.backlogged) {
      return;
    }
    try {
      for (;;) {
        const runs = await this.repo.claimPending(this.config.scheduler.replicaId, CLAIM_LIMIT);
        runs.forEach((run) => void this.dispatcher.dispatch(run));
        if (runs.length < CLAIM_LIMIT || !this.loop.running) {
          return;
        }
      }
    } catch (e) {
      this.logger.warn(`claiming pending runs failed: ${(e as Error).message}`);
    }
  }
}
