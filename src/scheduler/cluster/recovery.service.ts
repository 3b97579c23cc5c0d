import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EventBus } from '../../core/events/event-bus.js';
import {
  ExecutionLedgerRepository,
  type CloseResult,
} from '../../executions/execution-ledger.repository.js';
import { HeartbeatService } from './heartbeat.service.js';
import { PendingRunsService } from '../runs/pending-runs.service.js';
import { AutoPauser } from '../runs/auto-pauser.js';

/**
 * Closes runs whose replica is gone (its session lock released, or its heartbeat stale): failed,
 * "worker lost", counted, and retried per the job's maxRetries as a pending run with trigger
 * `recovery`. Every replica sweeps every RECOVERY_SWEEP_INTERVAL_MS; the close only matches rows
 * still running, so two sweeps never close (or retry) a run twice.
 *
 * A replica sweeps only once its own liveness session has been up for WORKER_LOST_AFTER_MS
 * without a break. Its own outage would otherwise be its evidence: the first replica back after
 * the database returns sees every other replica's lock free and heartbeat stale, while those
 * replicas are alive, reconnecting, and about to record the outcomes of runs their targets have
 * already answered (issue 20: 20 runs delivered twice and recorded failed instead of completed).
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
    private readonly heartbeat: HeartbeatService,
    private readonly autoPauser: AutoPauser,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs left under this replica's id by a previous process (same REPLICA_ID) are lost too. */
  async closeOwnOrphans(): Promise<void> {
    this.report(
      await this.ledger.closeOwnOrphans(this.config.scheduler.replicaId, this.autoPauser.hook),
    );
  }

  start(): void {
    this.timer = setInterval(
      () => void this.sweep(),
      this.config.scheduler.recoverySweepIntervalMs,
    );
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async sweep(): Promise<void> {
    if (this.sweeping || this.heartbeat.steadyForMs() < this.lostAfterMs) {
      return;
    }
    this.sweeping = true;
    try {
      this.report(
        await this.ledger.closeLost(
          this.lostAfterMs,
          this.config.scheduler.replicaId,
          this.autoPauser.hook,
        ),
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

  private report({ closed, retries, autoPaused, notifications }: CloseResult): void {
    autoPaused.forEach((p) => this.events.publish('job.auto_paused', { jobId: p.jobId }));
    if (notifications > 0) {
      this.events.publish('notifications.queued', { count: notifications });
    }
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
