import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PAUSE_DEFINITION_COLUMNS, definitionChangedSql } from './1796300000000-JobPause.js';

const BEFORE = PAUSE_DEFINITION_COLUMNS;
/** The definition columns with the schedule controls (the next migration starts from these). */
export const CONTROLS_DEFINITION_COLUMNS = [
  ...BEFORE,
  'start_at',
  'end_at',
  'jitter_ms',
  'max_runs',
];
const AFTER = CONTROLS_DEFINITION_COLUMNS;

/**
 * Schedule controls (design 7.2): a window [start_at, end_at], a deterministic jitter, a run
 * limit (max_runs, with remaining_runs counted down by the slot claim in the statement that
 * claims, so replicas cannot overshoot) and concurrencyPolicy queue_one. The first four are
 * definition columns; remaining_runs is state the scheduler writes, so it is not.
 */
export class ScheduleControls1796310000000 implements MigrationInterface {
  name = 'ScheduleControls1796310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs
        ADD COLUMN start_at timestamptz,
        ADD COLUMN end_at timestamptz,
        ADD COLUMN jitter_ms integer NOT NULL DEFAULT 0,
        ADD COLUMN max_runs integer,
        ADD COLUMN remaining_runs integer,
        ADD CONSTRAINT ck_jobs_window CHECK (start_at IS NULL OR end_at IS NULL OR end_at > start_at),
        ADD CONSTRAINT ck_jobs_jitter CHECK (jitter_ms BETWEEN 0 AND 3600000),
        ADD CONSTRAINT ck_jobs_max_runs CHECK (max_runs IS NULL OR max_runs >= 1),
        ADD CONSTRAINT ck_jobs_remaining_runs CHECK (
          remaining_runs IS NULL OR (max_runs IS NOT NULL AND remaining_runs BETWEEN 0 AND max_runs)),
        ADD CONSTRAINT ck_jobs_runs_left CHECK (remaining_runs IS NULL OR remaining_runs > 0 OR NOT is_active),
        DROP CONSTRAINT ck_jobs_concurrency,
        ADD CONSTRAINT ck_jobs_concurrency CHECK (
          concurrency_policy IN ('forbid', 'allow', 'replace', 'queue_one'))`);
    await q.query(definitionChangedSql(AFTER));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(definitionChangedSql(BEFORE));
    await q.query(
      `UPDATE jobs SET concurrency_policy = 'forbid' WHERE concurrency_policy = 'queue_one'`,
    );
    await q.query(`
      ALTER TABLE jobs
        DROP CONSTRAINT ck_jobs_concurrency,
        ADD CONSTRAINT ck_jobs_concurrency CHECK (concurrency_policy IN ('forbid', 'allow', 'replace')),
        DROP CONSTRAINT IF EXISTS ck_jobs_runs_left,
        DROP CONSTRAINT IF EXISTS ck_jobs_remaining_runs,
        DROP CONSTRAINT IF EXISTS ck_jobs_max_runs,
        DROP CONSTRAINT IF EXISTS ck_jobs_jitter,
        DROP CONSTRAINT IF EXISTS ck_jobs_window,
        DROP COLUMN IF EXISTS remaining_runs,
        DROP COLUMN IF EXISTS max_runs,
        DROP COLUMN IF EXISTS jitter_ms,
        DROP COLUMN IF EXISTS end_at,
        DROP COLUMN IF EXISTS start_at`);
  }
}
