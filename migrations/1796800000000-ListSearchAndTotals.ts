import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job list's search in one index scan, and its totals without a count per request.
 *
 * Search: `name ILIKE p OR description ILIKE p` was answered by a BitmapOr of two trigram GIN
 * indexes, each reading the posting lists of every trigram of the pattern (13-18 ms at 100,000
 * jobs for `tenant 417`); one trigram index over both fields joined by a newline reads them once
 * (0.7-2.4 ms). The query keeps the two-field test as a recheck, so a match that spans the join
 * is not a match (see jobs.repository.ts).
 *
 * Totals: `job_list_generation` is one row whose number changes in every transaction that
 * inserts, deletes or changes the definition of a job (the definition columns of
 * jobs_definition_changed, which include every filter of the list). The API caches a filter's
 * total with the generation it was counted at, read in the same snapshot, and reuses it only
 * while the generation is unchanged: exact on every replica at once, with no NOTIFY race. The
 * bump is a deferred constraint trigger, once per transaction, so the row lock is held only while
 * the writing transaction commits; scheduler updates of next_run_at and counters never bump it.
 */
export class ListSearchAndTotals1796800000000 implements MigrationInterface {
  name = 'ListSearchAndTotals1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_jobs_text_trgm ON jobs
         USING gin ((name || E'\\n' || coalesce(description, '')) gin_trgm_ops)`,
    );
    await q.query(`DROP INDEX IF EXISTS ix_jobs_name_trgm`);
    await q.query(`DROP INDEX IF EXISTS ix_jobs_description_trgm`);

    await q.query(`
      CREATE TABLE job_list_generation (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        gen bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO job_list_generation (id, gen) VALUES (1, 0)`);
    await q.query(`
      CREATE FUNCTION jobs_bump_list_generation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('scheduler.jobs_list_gen_xact', true)
             IS DISTINCT FROM txid_current()::text THEN
          UPDATE job_list_generation SET gen = gen + 1 WHERE id = 1;
          PERFORM set_config('scheduler.jobs_list_gen_xact', txid_current()::text, true);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER tr_jobs_list_gen_write AFTER INSERT OR DELETE ON jobs
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION jobs_bump_list_generation()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER tr_jobs_list_gen_update AFTER UPDATE ON jobs
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (jobs_definition_changed(OLD, NEW))
      EXECUTE FUNCTION jobs_bump_list_generation()`);
    await q.query(`
      CREATE TRIGGER tr_jobs_list_gen_truncate AFTER TRUNCATE ON jobs
      FOR EACH STATEMENT EXECUTE FUNCTION jobs_bump_list_generation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_list_gen_truncate ON jobs`);
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_list_gen_update ON jobs`);
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_list_gen_write ON jobs`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_bump_list_generation()`);
    await q.query(`DROP TABLE IF EXISTS job_list_generation`);
    await q.query(`CREATE INDEX ix_jobs_name_trgm ON jobs USING gin (name gin_trgm_ops)`);
    await q.query(
      `CREATE INDEX ix_jobs_description_trgm ON jobs USING gin (description gin_trgm_ops)`,
    );
    await q.query(`DROP INDEX IF EXISTS ix_jobs_text_trgm`);
  }
}
