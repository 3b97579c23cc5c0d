import type { MigrationInterface, QueryRunner } from 'typeorm';
import { definitionChangedSql } from './1796300000000-JobPause.js';
import { CONTROLS_DEFINITION_COLUMNS } from './1796310000000-ScheduleControls.js';

/** The definition columns of jobs before this migration (restored by `down`), and after. */
const DEFINITION_BEFORE = CONTROLS_DEFINITION_COLUMNS;
export const CALENDARS_DEFINITION_COLUMNS = [...DEFINITION_BEFORE, 'exclude_calendars'];

/**
 * Issue 15, calendars and backfill (design 7.2).
 *
 * - `calendars`: shared exclusion calendars (local dates in the calendar's zone, instant ranges
 *   as two parallel arrays so each stays a native timestamptz). Every change NOTIFYs
 *   `calendar_changed` (payload: the id) so each replica drops its cached copy at once.
 * - `jobs.exclude_calendars` (uuid[]): the job field, part of the definition (a change NOTIFYs
 *   `job_changed`). A trigger mirrors it into `job_calendars`, whose foreign key to calendars is
 *   ON DELETE RESTRICT: the database itself refuses a job naming an unknown calendar and the
 *   deletion of a calendar a job references, even between two concurrent transactions.
 * - `job_backfills`: a backfill's slots and its cursor (next_index), claimed one slot at a time
 *   with compare-and-set on the cursor, so it survives restarts and runs each slot once.
 * - execution trigger `backfill`.
 */
export class CalendarsAndBackfills1796400000000 implements MigrationInterface {
  name = 'CalendarsAndBackfills1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION calendars_ranges_valid(starts timestamptz[], ends timestamptz[])
      RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT cardinality(starts) = cardinality(ends)
          AND coalesce(bool_and(s IS NOT NULL AND e IS NOT NULL AND s < e), true)
        FROM unnest(starts, ends) AS r(s, e)
      $$`);
    await q.query(`
      CREATE TABLE calendars (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(255) NOT NULL,
        description text,
        timezone varchar(64) NOT NULL,
        dates date[] NOT NULL DEFAULT ARRAY[]::date[],
        range_starts timestamptz[] NOT NULL DEFAULT ARRAY[]::timestamptz[],
        range_ends timestamptz[] NOT NULL DEFAULT ARRAY[]::timestamptz[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_calendars PRIMARY KEY (id),
        CONSTRAINT ck_calendars_name CHECK (char_length(name) BETWEEN 1 AND 255),
        CONSTRAINT ck_calendars_description CHECK (
          description IS NULL OR char_length(description) <= 1000),
        CONSTRAINT ck_calendars_timezone CHECK (char_length(timezone) BETWEEN 1 AND 64),
        CONSTRAINT ck_calendars_dates CHECK (
          cardinality(dates) <= 1000 AND array_position(dates, NULL) IS NULL),
        CONSTRAINT ck_calendars_ranges CHECK (
          cardinality(range_starts) <= 500 AND calendars_ranges_valid(range_starts, range_ends))
      )`);
    await q.query(`CREATE INDEX ix_calendars_name ON calendars (name, id)`);
    await q.query(`
      CREATE FUNCTION calendars_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('calendar_changed',
          CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END::text || ':' || TG_OP);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_calendars_notify AFTER INSERT OR UPDATE OR DELETE ON calendars
      FOR EACH ROW EXECUTE FUNCTION calendars_notify_change()`);

    await q.query(`
      ALTER TABLE jobs ADD COLUMN exclude_calendars uuid[] NOT NULL DEFAULT ARRAY[]::uuid[],
        ADD CONSTRAINT ck_jobs_exclude_calendars CHECK (
          cardinality(exclude_calendars) <= 20 AND array_position(exclude_calendars, NULL) IS NULL)`);
    await q.query(`
      CREATE TABLE job_calendars (
        job_id uuid NOT NULL,
        calendar_id uuid NOT NULL,
        CONSTRAINT pk_job_calendars PRIMARY KEY (job_id, calendar_id),
        CONSTRAINT fk_job_calendars_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT fk_job_calendars_calendar FOREIGN KEY (calendar_id)
          REFERENCES calendars (id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE INDEX ix_job_calendars_calendar ON job_calendars (calendar_id)`);
    await q.query(`
      CREATE FUNCTION jobs_sync_calendars() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM job_calendars
          WHERE job_id = NEW.id AND calendar_id <> ALL (NEW.exclude_calendars);
        INSERT INTO job_calendars (job_id, calendar_id)
          SELECT NEW.id, c FROM unnest(NEW.exclude_calendars) AS c ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    // WHEN keeps the scheduler's updates (next_run_at, counters) free of PL/pgSQL.
    await q.query(`
      CREATE TRIGGER tr_jobs_calendars_insert AFTER INSERT ON jobs
      FOR EACH ROW WHEN (cardinality(NEW.exclude_calendars) > 0)
      EXECUTE FUNCTION jobs_sync_calendars()`);
    await q.query(`
      CREATE TRIGGER tr_jobs_calendars_update AFTER UPDATE ON jobs
      FOR EACH ROW WHEN (OLD.exclude_calendars IS DISTINCT FROM NEW.exclude_calendars)
      EXECUTE FUNCTION jobs_sync_calendars()`);
    await q.query(definitionChangedSql(CALENDARS_DEFINITION_COLUMNS));

    await q.query(`ALTER TABLE job_executions DROP CONSTRAINT ck_job_executions_trigger`);
    await q.query(`
      ALTER TABLE job_executions ADD CONSTRAINT ck_job_executions_trigger CHECK (
        trigger IN ('schedule', 'manual', 'retry', 'recovery', 'backfill'))`);

    await q.query(`
      CREATE TABLE job_backfills (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL,
        range_from timestamptz NOT NULL,
        range_to timestamptz NOT NULL,
        slots timestamptz[] NOT NULL,
        next_index integer NOT NULL DEFAULT 0,
        status varchar(10) NOT NULL DEFAULT 'running',
        current_execution_id uuid,
        current_started_at timestamptz,
        current_key text,
        created_by varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT pk_job_backfills PRIMARY KEY (id),
        CONSTRAINT fk_job_backfills_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT ck_job_backfills_range CHECK (range_from < range_to),
        CONSTRAINT ck_job_backfills_slots CHECK (
          cardinality(slots) <= 1000 AND array_position(slots, NULL) IS NULL),
        CONSTRAINT ck_job_backfills_cursor CHECK (next_index BETWEEN 0 AND cardinality(slots)),
        CONSTRAINT ck_job_backfills_status CHECK (status IN ('running', 'completed', 'cancelled')),
        CONSTRAINT ck_job_backfills_finished CHECK ((status = 'running') = (finished_at IS NULL))
      )`);
    await q.query(
      `CREATE INDEX ix_job_backfills_job ON job_backfills (job_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_job_backfills_running ON job_backfills (created_at) WHERE status = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS job_backfills`);
    await q.query(`DELETE FROM job_executions WHERE trigger = 'backfill'`);
    await q.query(`ALTER TABLE job_executions DROP CONSTRAINT ck_job_executions_trigger`);
    await q.query(`
      ALTER TABLE job_executions ADD CONSTRAINT ck_job_executions_trigger CHECK (
        trigger IN ('schedule', 'manual', 'retry', 'recovery'))`);
    await q.query(definitionChangedSql(DEFINITION_BEFORE));
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_calendars_update ON jobs`);
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_calendars_insert ON jobs`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_sync_calendars()`);
    await q.query(`DROP TABLE IF EXISTS job_calendars`);
    await q.query(`ALTER TABLE jobs DROP COLUMN IF EXISTS exclude_calendars`);
    await q.query(`DROP TABLE IF EXISTS calendars`);
    await q.query(`DROP FUNCTION IF EXISTS calendars_notify_change()`);
    await q.query(`DROP FUNCTION IF EXISTS calendars_ranges_valid(timestamptz[], timestamptz[])`);
  }
}
