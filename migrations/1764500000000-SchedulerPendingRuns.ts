import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable pending runs of the scheduler: retries waiting for their delay, runs of a dead replica
 * to redo (recovery), and catch-up slots of `misfirePolicy: fire_all`. Any replica claims a due row
 * with FOR UPDATE SKIP LOCKED and deletes it in the transaction that inserts its execution, so a
 * restart loses none and no two replicas run the same one.
 */
export class SchedulerPendingRuns1764500000000 implements MigrationInterface {
  name = 'SchedulerPendingRuns1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_pending_runs (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL,
        trigger varchar(10) NOT NULL,
        attempt integer NOT NULL DEFAULT 0,
        scheduled_for timestamptz,
        run_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_job_pending_runs PRIMARY KEY (id),
        CONSTRAINT fk_job_pending_runs_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT ck_job_pending_runs_trigger CHECK (trigger IN ('schedule', 'retry', 'recovery')),
        CONSTRAINT ck_job_pending_runs_attempt CHECK (attempt >= 0)
      )`);
    await q.query(`CREATE INDEX ix_job_pending_runs_due ON job_pending_runs (run_at)`);
    await q.query(`CREATE INDEX ix_job_pending_runs_job ON job_pending_runs (job_id)`);
    // "Is this job running anywhere?" is asked inside every claim (concurrencyPolicy forbid).
    await q.query(
      `CREATE INDEX ix_job_executions_job_running ON job_executions (job_id) WHERE status = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_job_executions_job_running`);
    await q.query(`DROP TABLE IF EXISTS job_pending_runs`);
  }
}
