import type { ConcurrencyPolicy } from '../job-vocabulary.js';

/**
 * The execution vocabulary the events speak (and the executions table stores): defined here, in
 * core, so the event map needs no feature module; execution.entity.ts uses these.
 */
export type ExecutionStatus = 'running' | 'completed' | 'failed' | 'timeout' | 'interrupted';
export type ExecutionTrigger = 'schedule' | 'manual' | 'retry' | 'recovery' | 'backfill' | 'replay';

export type TargetType = 'http' | 'handler';
/** queue_full: a slot of a queue_one job that found a run in progress and one already waiting. */
export type SkipReason =
  'concurrency_forbid' | 'misfire_skip' | 'lost_claim' | 'queue_full' | 'calendar';

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
    /** A scheduled slot's firing instant when jitter moves it past scheduledFor. */
    dueAt?: Date;
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
    /** The job's policy when known: a queue_one job's waiting run can start now. */
    concurrencyPolicy?: ConcurrencyPolicy;
  };
  /**
   * Job definitions changed (created, updated, deleted) on any replica: heard by this replica's
   * LISTEN on `job_changed` (JobChangesListener), ids only.
   */
  'jobs.changed': { jobIds: string[] };
  'retry.scheduled': { jobId: string; attempt: number; runAt: Date };
  /** A backfill was stored by this replica (wakes its runner instead of waiting for a poll). */
  'backfill.created': { jobId: string; backfillId: string };
  /** A job reached autoPauseAfterFailures and was paused in the transaction of its outcome. */
  'job.auto_paused': { jobId: string };
  /** Notifications were written to the outbox (a hint for the sender to look now). */
  'notifications.queued': { count: number };
  /** One delivery attempt of a notification ended. */
  'notification.attempted': { channelType: string; event: string; delivered: boolean };
  /**
   * This replica's timers say these jobs' slots are due: a hint for the claim, which re-reads the
   * rows (published by JobTimers, consumed by SlotFiringService).
   */
  'slots.due': { jobIds: string[] };
}
