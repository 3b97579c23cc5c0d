import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Database-side backstop for the API's coherence rules (job-definition.ts), so a bulk SQL update
 * or a bug cannot store a job the scheduler would misread: timing fields only on the type that
 * uses them, a JSON object payload, a target of a known shape, and bounded tags.
 */
export class JobCoherenceChecks1795936579638 implements MigrationInterface {
  name = 'JobCoherenceChecks1795936579638';

  async up(q: QueryRunner): Promise<void> {
    // CHECK cannot hold a subquery; an IMMUTABLE function over the array can. A CHECK passes on
    // NULL, so expressions over missing JSON keys are coalesced to false.
    await q.query(`
      CREATE FUNCTION jobs_tags_valid(tags text[]) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(bool_and(char_length(t) BETWEEN 1 AND 50), true) FROM unnest(tags) AS t
      $$`);
    await q.query(`
      ALTER TABLE jobs
        ADD CONSTRAINT ck_jobs_interval_recurring CHECK (interval_ms IS NULL OR job_type = 'recurring'),
        ADD CONSTRAINT ck_jobs_run_at_delayed CHECK (run_at IS NULL OR job_type = 'delayed'),
        ADD CONSTRAINT ck_jobs_payload_object CHECK (jsonb_typeof(payload) = 'object'),
        ADD CONSTRAINT ck_jobs_target_shape CHECK (coalesce(
          (target->>'type' = 'handler' AND jsonb_typeof(target->'name') = 'string')
          OR (target->>'type' = 'http' AND jsonb_typeof(target->'url') = 'string'), false)),
        ADD CONSTRAINT ck_jobs_tag_length CHECK (jobs_tags_valid(tags))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs
        DROP CONSTRAINT IF EXISTS ck_jobs_tag_length,
        DROP CONSTRAINT IF EXISTS ck_jobs_target_shape,
        DROP CONSTRAINT IF EXISTS ck_jobs_payload_object,
        DROP CONSTRAINT IF EXISTS ck_jobs_run_at_delayed,
        DROP CONSTRAINT IF EXISTS ck_jobs_interval_recurring`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_tags_valid(text[])`);
  }
}
