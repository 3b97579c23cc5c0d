import { BackfillRunner } from './runs/backfill-runner.service.js';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError } from '../core/errors/app-error.js';
import { DispatcherService } from './runs/dispatcher.service.js';
import { FinishQueue } from './runs/finish-queue.js';
import { HeartbeatService } from './cluster/heartbeat.service.js';
import { JobChangesListener } from './timers/job-changes.listener.js';
import { JobTimers } from './timers/job-timers.js';
import { PartitionUpkeepService } from '../executions/partition-upkeep.service.js';
import { PendingRunsService } from './runs/pending-runs.service.js';
import { ReconcilerService } from './timers/reconciler.service.js';
import { RecoveryService } from './cluster/recovery.service.js';
import { RunClaimsRepository } from '../executions/run-claims.repository.js';
import { ExecutionNotFoundError } from '../executions/executions.errors.js';
import { JobBusyError, JobNotFoundError, JobRunningError } from './scheduler.errors.js';
import type {
  InTriggerTransaction,
  ManualTriggerResult,
  ReplayResult,
  SchedulerPort,
  SchedulerStatus,
} from '../jobs/scheduler.port.js';
import { SlotFiringService } from './firing/slot-firing.service.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import type { ClaimedRun } from '../executions/run.types.js';

/** Recording the last outcomes at shutdown may take this long before we give up on the database. */
const FINAL_WRITE_TIMEOUT_MS = 5000;
/** A manual trigger waits this long for the liveness session (outage: then 503). */
const TRIGGER_SESSION_WAIT_MS = 3000;
/** A trigger that finds the job row locked tries again after these pauses, then answers 409. */
const LOCKED_RETRY_MS = [10, 25, 50, 100];
/** Share of the time the periodic full reconcile may work (it rests the remainder). */
const PERIODIC_RECONCILE_DUTY = 0.25;

/**
 * The scheduler's life cycle and its port to the rest of the app. Starts after migrations
 * (onApplicationBootstrap) when SCHEDULER_ENABLED; with it disabled the replica fires nothing,
 * but manual triggers still run here through the same dispatch.
 */
@Injectable()
export class SchedulerService
  implements SchedulerPort, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SchedulerService.name);
  private started = false;
  private draining = false;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconciling = false;
  /** Jobs with a manual trigger being claimed on this replica right now. */
  private readonly triggering = new Set<string>();

  constructor(
    private readonly timers: JobTimers,
    private readonly reconciler: ReconcilerService,
    private readonly listener: JobChangesListener,
    private readonly firing: SlotFiringService,
    private readonly pending: PendingRunsService,
    private readonly dispatcher: DispatcherService,
    private readonly finishes: FinishQueue,
    private readonly heartbeat: HeartbeatService,
    private readonly recovery: RecoveryService,
    private readonly upkeep: PartitionUpkeepService,
    private readonly runClaims: RunClaimsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backfills: BackfillRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.scheduler.enabled) {
      this.logger.log('SCHEDULER_ENABLED=false: not firing jobs on this replica');
      return;
    }
    const started = Date.now();
    await this.heartbeat.start();
    await this.recovery.closeOwnOrphans();
    // Listen first, so a change committed during the full reconcile is not missed.
    await this.listener.start();
    const count = await this.reconciler.reconcileAll();
    this.firing.start();
    this.timers.start();
    this.pending.start();
    this.backfills.start();
    this.recovery.start();
    this.upkeep.start();
    this.reconcileTimer = setInterval(
      () => void this.reconcileAll(),
      this.config.scheduler.reconcileIntervalMs,
    );
    this.started = true;
    this.logger.log(
      `scheduler started as ${this.config.scheduler.replicaId}: ${count} active job(s) armed in ${Date.now() - started} ms`,
    );
  }

  /**
   * SIGTERM / app.close(): stop claiming, let running attempts finish within SHUTDOWN_GRACE_MS,
   * record the rest as interrupted, mark the replica stopped, close the LISTEN connection.
   * Runs before TypeORM's shutdown hook, so the database is still there.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    clearInterval(this.reconcileTimer);
    this.timers.stop();
    this.recovery.stop();
    this.upkeep.stop();
    await Promise.all([
      this.firing.stop(),
      this.pending.stop(),
      this.backfills.stop(),
      this.listener.stop(),
    ]);
    await this.dispatcher.drain(this.config.scheduler.shutdownGraceMs);
    await Promise.race([
      this.finishes.drain(),
      new Promise((r) => setTimeout(r, FINAL_WRITE_TIMEOUT_MS).unref()),
    ]);
    if (this.heartbeat.started) {
      await this.heartbeat.stop();
    }
    this.timers.clear();
    this.started = false;
  }

  isScheduled(jobId: string): boolean {
    return this.timers.has(jobId);
  }

  /**
   * One claim per job at a time on this replica: a concurrent trigger of the same job answers 409
   * at once, without a database round trip (it would find the row locked anyway). A storm of
   * triggers of one job then costs the database, and this replica's event loop, next to nothing.
   */
  async triggerNow(jobId: string, within?: InTriggerTransaction): Promise<ManualTriggerResult> {
    if (this.draining) {
      throw new AppError('SERVICE_UNAVAILABLE', 'the scheduler is shutting down');
    }
    if (this.triggering.has(jobId)) {
      throw new JobBusyError(jobId);
    }
    this.triggering.add(jobId);
    try {
      return await this.claimAndDispatch(jobId, within);
    } finally {
      this.triggering.delete(jobId);
    }
  }

  private async claimAndDispatch(
    jobId: string,
    within?: InTriggerTransaction,
  ): Promise<ManualTriggerResult> {
    // A run needs a live session lock and heartbeat, or another replica's recovery would
    // declare it lost at once.
    if (!(await this.heartbeat.start(TRIGGER_SESSION_WAIT_MS))) {
      throw new AppError('SERVICE_UNAVAILABLE', 'the database is unavailable; retry later');
    }
    const inTx = claimHook(within);
    let claim = await this.runClaims.claimManual(jobId, this.config.scheduler.replicaId, inTx);
    // The row is locked for a few milliseconds by a slot claim or a result write: try again a
    // little later (a fresh transaction each time, so no connection waits in the lock queue)
    // rather than refusing a trigger because the job's previous run was being recorded.
    for (const pause of LOCKED_RETRY_MS) {
      if (claim.kind !== 'locked') {
        break;
      }
      await sleep(pause);
      claim = await this.runClaims.claimManual(jobId, this.config.scheduler.replicaId, inTx);
    }
    if (claim.kind === 'not_found') {
      throw new JobNotFoundError(jobId);
    }
    if (claim.kind === 'running') {
      throw new JobRunningError(jobId);
    }
    if (claim.kind === 'locked') {
      throw new JobBusyError(jobId);
    }
    void this.dispatcher.dispatch(claim.run);
    return {
      executionId: claim.run.executionId,
      jobId,
      jobName: claim.run.job.name,
      triggeredAt: claim.run.startedAt,
    };
  }

  async replay(executionId: string, within?: InTriggerTransaction): Promise<ReplayResult> {
    if (this.draining) {
      throw new AppError('SERVICE_UNAVAILABLE', 'the scheduler is shutting down');
    }
    if (!(await this.heartbeat.start(TRIGGER_SESSION_WAIT_MS))) {
      throw new AppError('SERVICE_UNAVAILABLE', 'the database is unavailable; retry later');
    }
    const claim = await this.runClaims.claimReplay(
      executionId,
      this.config.scheduler.replicaId,
      claimHook(within),
    );
    switch (claim.kind) {
      case 'not_found':
        throw new ExecutionNotFoundError();
      case 'not_final':
        throw new AppError(
          'CONFLICT',
          'Only a run that failed for good (final=true: failed or timed out, no retry left) can be replayed',
        );
      case 'replayed':
        throw new AppError('CONFLICT', `Execution ${executionId} has been replayed already`);
      case 'running':
        throw new JobRunningError();
      case 'claimed':
        break;
    }
    void this.dispatcher.dispatch(claim.run);
    return {
      executionId: claim.run.executionId,
      replayOf: executionId,
      jobId: claim.run.job.id,
      jobName: claim.run.job.name,
      triggeredAt: claim.run.startedAt,
    };
  }

  status(): SchedulerStatus {
    return {
      started: this.started,
      draining: this.draining,
      replicaId: this.config.scheduler.replicaId,
      registeredTimers: this.timers.count,
      runningExecutions: this.dispatcher.runningCount,
      heartbeatAgeMs: this.heartbeat.ageMs(),
      listening: this.listener.listening,
    };
  }

  pendingRuns(): Promise<number | null> {
    return this.runClaims.countPending();
  }

  /** The periodic safety-net pass: paced, and never two at once. */
  private async reconcileAll(): Promise<void> {
    if (this.reconciling) {
      return;
    }
    this.reconciling = true;
    try {
      await this.reconciler.reconcileAll({ duty: PERIODIC_RECONCILE_DUTY });
    } catch (e) {
      this.logger.warn(`periodic reconcile failed: ${(e as Error).message}`);
    } finally {
      this.reconciling = false;
    }
  }
}

/** A port caller's work in a manual run's transaction, as the claim runs it. */
function claimHook(
  within: InTriggerTransaction | undefined,
): ((em: EntityManager, run: ClaimedRun) => Promise<void>) | undefined {
  return (
    within &&
    ((em, run) =>
      within(em, { executionId: run.executionId, jobId: run.job.id, triggeredAt: run.startedAt }))
  );
}
