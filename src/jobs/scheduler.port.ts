import type { EntityManager } from 'typeorm';

/**
 * What the rest of the app needs from the scheduler, declared here by JobsModule (its main user)
 * and implemented by SchedulerModule, which provides it globally: JobsModule, HealthModule and
 * MetricsModule depend on this interface, never on SchedulerModule (which imports jobs' model).
 */
export const SCHEDULER_PORT = Symbol('SCHEDULER_PORT');

export interface ManualTriggerResult {
  executionId: string;
  jobId: string;
  jobName: string;
  triggeredAt: Date;
}

export interface ReplayResult extends ManualTriggerResult {
  /** The execution replayed. */
  replayOf: string;
}

/** Work done in the transaction that records a manual run (a trigger or a replay). */
export type InTriggerTransaction = (
  em: EntityManager,
  run: { executionId: string; jobId: string; triggeredAt: Date },
) => Promise<void>;

export interface SchedulerStatus {
  /** True once boot reconcile finished and timers are armed. */
  started: boolean;
  /** True after SIGTERM: no new claims. */
  draining: boolean;
  replicaId: string;
  registeredTimers: number;
  runningExecutions: number;
  /** Milliseconds since this replica last wrote its heartbeat (null before the first). */
  heartbeatAgeMs: number | null;
  /** True while the LISTEN connection is up. */
  listening: boolean;
}

/** "Scheduler running", as the original's clients read it: enabled, started, not draining. */
export function schedulerRunning(enabled: boolean, status: () => SchedulerStatus): boolean {
  if (!enabled) {
    return false;
  }
  const s = status();
  return s.started && !s.draining;
}

export interface SchedulerPort {
  /** True when this replica holds an armed timer for the job. */
  isScheduled(jobId: string): boolean;
  /**
   * Runs the job now through the normal dispatch (trigger `manual`). Throws JobNotFoundError
   * for an unknown id and JobRunningError under `forbid` while a run is active. `within` runs
   * inside the transaction that records the run (the audit row), before dispatch.
   */
  triggerNow(jobId: string, within?: InTriggerTransaction): Promise<ManualTriggerResult>;
  /**
   * Runs a dead letter's slot again (trigger `replay`, replay_of = the original), once per
   * execution. Throws ExecutionNotFoundError, a CONFLICT AppError when it was replayed already or
   * is not a final failure, and JobRunningError under `forbid` while a run is active. `within`
   * runs inside the transaction that records the run, as for triggerNow.
   */
  replay(executionId: string, within?: InTriggerTransaction): Promise<ReplayResult>;
  status(): SchedulerStatus;
  /**
   * Runs waiting in the scheduler's durable queue (retries, recovery re-runs, fire_all
   * catch-ups), on every replica; null when the database is unreachable.
   */
  pendingRuns(): Promise<number | null>;
}
