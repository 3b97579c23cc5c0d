import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Faults without side effects (issue 20).
 * - scheduler_replicas.session_lock: the replica holds a session advisory lock for as long as its
 *   liveness connection lives, so the others can tell at once that it died (pg_locks) instead of
 *   waiting for its heartbeat to age. Replicas that never took the lock (older versions during a
 *   rolling upgrade) keep false and are judged by their heartbeat alone.
 * - idempotency_key on executions and pending runs: the key every attempt of one run sends.
 *   Null means the slot key `<job id>:<scheduled for>`; manual runs store theirs, so their
 *   retries and recovery keep it. Adding a nullable column without default rewrites nothing.
 */
export class ReplicaSessions1796200000000 implements MigrationInterface {
  name = 'ReplicaSessions1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE scheduler_replicas ADD COLUMN session_lock boolean NOT NULL DEFAULT false`,
    );
    await q.query(`ALTER TABLE job_executions ADD COLUMN idempotency_key text`);
    await q.query(`ALTER TABLE job_pending_runs ADD COLUMN idempotency_key text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_pending_runs DROP COLUMN idempotency_key`);
    await q.query(`ALTER TABLE job_executions DROP COLUMN idempotency_key`);
    await q.query(`ALTER TABLE scheduler_replicas DROP COLUMN session_lock`);
  }
}
