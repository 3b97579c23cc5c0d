import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ExecutionStatus, ExecutionTrigger } from '../core/events/app-events.js';

export type { ExecutionStatus, ExecutionTrigger };

/** A row of the range-partitioned job_executions table; its primary key is (id, started_at). */
@Entity({ name: 'job_executions' })
export class ExecutionEntity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @Column({ type: 'varchar', length: 20 })
  status: ExecutionStatus;

  @Column({ type: 'varchar', length: 10, default: 'schedule' })
  trigger: ExecutionTrigger;

  @Column({ name: 'scheduled_for', type: 'timestamptz', nullable: true })
  scheduledFor: Date | null;

  @PrimaryColumn({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'retry_count', type: 'integer', default: 0 })
  retryCount: number;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  output: Record<string, unknown>;

  @Column({ name: 'replica_id', type: 'varchar', length: 64, nullable: true })
  replicaId: string | null;

  /** The http target's response status (null for handlers and calls without a response). */
  @Column({ name: 'http_status', type: 'smallint', nullable: true })
  httpStatus: number | null;

  /** Failed or timed out with no retry left: a dead letter (GET /api/executions?final=true). */
  @Column({ name: 'final_failure', type: 'boolean', default: false })
  finalFailure: boolean;

  /** The execution this run replays (trigger `replay`). */
  @Column({ name: 'replay_of', type: 'uuid', nullable: true })
  replayOf: string | null;
}
