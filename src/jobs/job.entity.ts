import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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

  /** Bumped by the database on every definition change (optimistic concurrency, ETag). */
  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;
}
