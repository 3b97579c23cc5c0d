import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { JobAlerts } from './job-alerts.js';
import type {
  ConcurrencyPolicy,
  JobTarget,
  JobType,
  MisfirePolicy,
  RetryBackoff,
} from '../core/job-vocabulary.js';

export type {
  ConcurrencyPolicy,
  HandlerTarget,
  HttpTarget,
  JobTarget,
  JobType,
  MisfirePolicy,
  RetryBackoff,
} from '../core/job-vocabulary.js';

/** Counters and timestamps (total_runs, next_run_at, …) are written by the scheduler in SQL only. */
@Entity({ name: 'jobs' })
export class JobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'cron_expression', type: 'varchar', length: 100, nullable: true })
  cronExpression: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'job_type', type: 'varchar', length: 20, default: 'scheduled' })
  jobType: JobType;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ name: 'interval_ms', type: 'integer', nullable: true })
  intervalMs: number | null;

  @Column({ name: 'run_at', type: 'timestamptz', nullable: true })
  runAt: Date | null;

  @Column({ type: 'jsonb' })
  target: JobTarget;

  @Column({ name: 'concurrency_policy', type: 'varchar', length: 10, default: 'forbid' })
  concurrencyPolicy: ConcurrencyPolicy;

  @Column({ name: 'misfire_policy', type: 'varchar', length: 10, default: 'fire_once' })
  misfirePolicy: MisfirePolicy;

  @Column({ name: 'retry_backoff', type: 'varchar', length: 12, default: 'fixed' })
  retryBackoff: RetryBackoff;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false, update: false })
  updatedAt: Date;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;

  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true })
  nextRunAt: Date | null;

  @Column({ name: 'total_runs', type: 'integer', default: 0, update: false })
  totalRuns: number;

  @Column({ name: 'successful_runs', type: 'integer', default: 0, update: false })
  successfulRuns: number;

  @Column({ name: 'failed_runs', type: 'integer', default: 0, update: false })
  failedRuns: number;

  @Column({ name: 'skipped_runs', type: 'integer', default: 0, update: false })
  skippedRuns: number;

  @Column({ name: 'timeout_ms', type: 'integer', default: 30000 })
  timeoutMs: number;

  @Column({ name: 'max_retries', type: 'integer', default: 3 })
  maxRetries: number;

  @Column({ name: 'retry_delay_ms', type: 'integer', default: 5000 })
  retryDelayMs: number;

  @Column({ name: 'created_by', type: 'varchar', length: 255, nullable: true })
  createdBy: string | null;

  @Column({ type: 'text', array: true, default: () => `ARRAY[]::text[]` })
  tags: string[];

  @Column({ type: 'jsonb', nullable: true })
  alerts: JobAlerts | null;

  @Column({ name: 'auto_pause_after_failures', type: 'integer', nullable: true })
  autoPauseAfterFailures: number | null;

  /** Figures the run ledger keeps at finish time (issue 16); never written by the API. */
  @Column({ name: 'consecutive_failures', type: 'integer', insert: false, update: false })
  consecutiveFailures: number;

  @Column({ name: 'last_success_at', type: 'timestamptz', insert: false, update: false })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz', insert: false, update: false })
  lastFailureAt: Date | null;

  /** The last 100 firing lags (scheduled runs) and attempt durations, oldest first. */
  @Column({ name: 'recent_lags_ms', type: 'integer', array: true, insert: false, update: false })
  recentLagsMs: number[];

  @Column({
    name: 'recent_durations_ms',
    type: 'integer',
    array: true,
    insert: false,
    update: false,
  })
  recentDurationsMs: number[];

  /** Set while paused (the job is then inactive); see POST /api/jobs/{id}/pause. */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  /** When set, the instant a paused job resumes by itself. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true })
  pausedUntil: Date | null;

  @Column({ name: 'pause_note', type: 'varchar', length: 500, nullable: true })
  pauseNote: string | null;

  /** No slot before this instant (null: from creation). */
  @Column({ name: 'start_at', type: 'timestamptz', nullable: true })
  startAt: Date | null;

  /** No slot after this instant; past it the job is inactive. */
  @Column({ name: 'end_at', type: 'timestamptz', nullable: true })
  endAt: Date | null;

  /** Each slot fires up to this much later, by a deterministic offset (see schedule.ts fireAt). */
  @Column({ name: 'jitter_ms', type: 'integer', default: 0 })
  jitterMs: number;

  @Column({ name: 'max_runs', type: 'integer', nullable: true })
  maxRuns: number | null;

  /** Scheduled runs left of maxRuns; counted down by the slot claim (scheduler). */
  @Column({ name: 'remaining_runs', type: 'integer', nullable: true })
  remainingRuns: number | null;

  /** Calendars whose slots are skipped; mirrored into job_calendars by a trigger (the FK). */
  @Column({
    name: 'exclude_calendars',
    type: 'uuid',
    array: true,
    default: () => `ARRAY[]::uuid[]`,
  })
  excludeCalendars: string[];
  /** Bumped by the database on every definition change (optimistic concurrency, ETag). */
  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;
}
