import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The definition columns before this migration (InitialSchema), and with the pause columns. */
const BEFORE = [
  'name',
  'description',
  'cron_expression',
  'is_active',
  'job_type',
  'payload',
  'timezone',
  'interval_ms',
  'run_at',
  'target',
  'concurrency_policy',
  'misfire_policy',
  'retry_backoff',
  'timeout_ms',
  'max_retries',
  'retry_delay_ms',
  'created_by',
  'tags',
];
const AFTER = [...BEFORE, 'paused_at', 'paused_until', 'pause_note'];

/** jobs_definition_changed over these columns (a change bumps updated_at and NOTIFYs). */
export function definitionChangedSql(columns: string[]): string {
  const tuple = (p: string): string => `(${columns.map((c) => `${p}.${c}`).join(', ')})`;
  return `
    CREATE OR REPLACE FUNCTION jobs_definition_changed(o jobs, n jobs) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
      SELECT ${tuple('o')} IS DISTINCT FROM ${tuple('n')}
    $$`;
}

/**
 * Pause with a note (design 7.2): a paused job is inactive (is_active false) with paused_at set;
 * paused_until, when set, is the instant it resumes by itself (on any replica). The CHECKs keep
 * the three coherent whoever writes them. All three are definition columns: a change re-arms
 * every replica's resume timer and bumps updated_at.
 */
export class JobPause1796300000000 implements MigrationInterface {
  name = 'JobPause1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs
        ADD COLUMN paused_at timestamptz,
        ADD COLUMN paused_until timestamptz,
        ADD COLUMN pause_note varchar(500),
        ADD CONSTRAINT ck_jobs_paused_inactive CHECK (paused_at IS NULL OR NOT is_active),
        ADD CONSTRAINT ck_jobs_pause_fields CHECK (
          paused_at IS NOT NULL OR (paused_until IS NULL AND pause_note IS NULL)),
        ADD CONSTRAINT ck_jobs_pause_note CHECK (pause_note IS NULL OR char_length(pause_note) <= 500)`);
    await q.query(definitionChangedSql(AFTER));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(definitionChangedSql(BEFORE));
    await q.query(`
      ALTER TABLE jobs
        DROP CONSTRAINT IF EXISTS ck_jobs_pause_note,
        DROP CONSTRAINT IF EXISTS ck_jobs_pause_fields,
        DROP CONSTRAINT IF EXISTS ck_jobs_paused_inactive,
        DROP COLUMN IF EXISTS pause_note,
        DROP COLUMN IF EXISTS paused_until,
        DROP COLUMN IF EXISTS paused_at`);
  }
}
