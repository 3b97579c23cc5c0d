/**
 * The execution vocabulary the events speak (and the executions table stores): defined here, in
 * core, so the event map needs no feature module; execution.entity.ts uses these.
 */
export type ExecutionStatus = 'running' | 'completed' | 'failed' | 'timeout' | 'interrupted';
export type ExecutionTrigger = 'schedule' | 'manual' | 'retry' | 'recovery';

export type TargetType = 'http' | 'handler';
export type SkipReason = 'concurrency_forbid' | 'misfire_skip' | 'lost_claim';

/**
 * The in-process event map: what happened inside this replica, published after the database
 * write committed (or, for `slots.due`, when a timer fired). They are facts and hints, never the
 * record: metrics and logs count them, and the engine's own parts act on them (a due slot is
 * claimed, a stored retry wakes the pending-runs poller) by re-reading the database.
 */
export interface AppEvents {
  /** A slot (or manual/retry run) was claimed by this replica and its dispatch is starting. */
  'slot.fired': {
    jobId: string;
    executionId: string;
    trigger: ExecutionTrigger;
    scheduledFor: Date;
    startedAt: Date;
  };
  /** A due slot was not run. */
  'slot.skipped': { jobId: string; reason: SkipReason; scheduledFor: Date };
  'execution.finished': {
    jobId: string;
    executionId: string;
    status: ExecutionStatus;
    targetType: TargetType;
    durationMs: number;
    attempt: number;
  };
  /**
   * Job definitions changed (created, updated, deleted) on any replica: heard by this replica's
   * LISTEN on `job_changed` (JobChangesListener), ids only.
   */
  'jobs.changed': { jobIds: string[] };
  'retry.scheduled': { jobId: string; attempt: number; runAt: Date };
  /**
   * This replica's timers say these jobs' slots are due: a hint for the claim, which re-reads the
   * rows (published by JobTimers, consumed by SlotFiringService).
   */
  'slots.due': { jobIds: string[] };
}
