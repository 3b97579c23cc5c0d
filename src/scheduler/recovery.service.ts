import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventBus } from '../core/events/event-bus.js';
import { ExecutionLedgerRepository, type CloseResult } from './execution-ledger.repository.js';
import { PendingRunsService } from './pending-runs.service.js';

/**
 * Closes runs whose replica stopped heartbeating: failed, "worker lost", counted, and retried
 * per the job's maxRetries as a pending run with trigger `recovery`. Every replica sweeps; the
 * close only matches rows still running, so two sweeps never close (or retry) a run twice.
 */
@Injectable()
export class RecoveryService {
  private readonly logger = new Logger(RecoveryService.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly ledger: ExecutionLedgerRepository,
    private readonly pending: PendingRunsService,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs left under this replica's id by a previous process (same REPLICA_ID) are lost too. */
  async closeOwnOrphans(): Promise<void> {
    this.report(
      await this.ledger.closeLost(this.lostAfterMs, this.config.scheduler.replicaId, true),
    );
  }

  start(): void {
    const every = Math.max(
      Math.min(this.config.scheduler.heartbeatIntervalMs, this.lostAfterMs / 2),
      250,
    );
    this.timer = setInterval(() => void this.sweep(), every);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async sweep(): Promise<void> {
    if (this.sweeping) {
      return;
    }
    this.sweeping = true;
    try {
      this.report(
        await this.ledger.closeLost(this.lostAfterMs, this.config.scheduler.replicaId, false),
      );
    } catch (e) {
      this.logger.warn(`recovery sweep failed: ${(e as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  private get lostAfterMs(): number {
    return this.config.scheduler.workerLostAfterMs;
  }

  private report({ closed, retries }: CloseResult): void {
    for (const c of closed) {
      this.logger.warn({
        msg: 'run closed: worker lost',
        executionId: c.id,
        jobId: c.job_id,
        replicaId: c.replica_id,
      });
      this.events.publish('execution.finished', {
        jobId: c.job_id,
        executionId: c.id,
        status: 'failed',
        targetType: c.target_type,
        durationMs: c.duration_ms,
        attempt: c.retry_count,
      });
    }
    for (const r of retries) {
      this.events.publish('retry.scheduled', {
        jobId: r.job_id,
        attempt: r.attempt,
        runAt: r.run_at,
      });
    }
    if (retries.length > 0) {
      this.pending.poll();
    }
  }
}
