import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole first schema: jobs, partitioned job_executions, replicas, users, and the SQL
 * functions and triggers the service relies on. Reviewed by hand; every time column is timestamptz.
 */
export class InitialSchema1764403200000 implements MigrationInterface {
  name = 'InitialSchema1764403200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE jobs (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(255) NOT NULL,
        description text,
        cron_expression varchar(100),
        is_active boolean NOT NULL DEFAULT true,
        job_type varchar(20) NOT NULL DEFAULT 'scheduled',
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        timezone varchar(64) NOT NULL DEFAULT 'Asia/Kolkata',
        interval_ms integer,
        run_at timestamptz,
        target jsonb NOT NULL DEFAULT '{"type":"handler","name":"log"}'::jsonb,
        concurrency_policy varchar(10) NOT NULL DEFAULT 'forbid',
        misfire_policy varchar(10) NOT NULL DEFAULT 'fire_once',
        retry_backoff varchar(12) NOT NULL DEFAULT 'fixed',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_run_at timestamptz,
        next_run_at timestamptz,
        total_runs integer NOT NULL DEFAULT 0,
        successful_runs integer NOT NULL DEFAULT 0,
        failed_runs integer NOT NULL DEFAULT 0,
        skipped_runs integer NOT NULL DEFAULT 0,
        timeout_ms integer NOT NULL DEFAULT 30000,
        max_retries integer NOT NULL DEFAULT 3,
        retry_delay_ms integer NOT NULL DEFAULT 5000,
        created_by varchar(255),
        tags text[] NOT NULL DEFAULT ARRAY[]::text[],
        CONSTRAINT pk_jobs PRIMARY KEY (id),
        CONSTRAINT ck_jobs_name CHECK (char_length(name) BETWEEN 1 AND 255),
        CONSTRAINT ck_jobs_description CHECK (description IS NULL OR char_length(description) <= 1000),
        CONSTRAINT ck_jobs_job_type CHECK (job_type IN ('scheduled', 'immediate', 'recurring', 'delayed')),
        CONSTRAINT ck_jobs_concurrency CHECK (concurrency_policy IN ('forbid', 'allow', 'replace')),
        CONSTRAINT ck_jobs_misfire CHECK (misfire_policy IN ('fire_once', 'skip', 'fire_all')),
        CONSTRAINT ck_jobs_backoff CHECK (retry_backoff IN ('fixed', 'exponential')),
        CONSTRAINT ck_jobs_timeout CHECK (timeout_ms BETWEEN 1000 AND 300000),
        CONSTRAINT ck_jobs_retries CHECK (max_retries BETWEEN 0 AND 10),
        CONSTRAINT ck_jobs_retry_delay CHECK (retry_delay_ms BETWEEN 1000 AND 60000),
        CONSTRAINT ck_jobs_interval CHECK (interval_ms IS NULL OR interval_ms >= 1000),
        CONSTRAINT ck_jobs_tags CHECK (cardinality(tags) <= 10),
        CONSTRAINT ck_jobs_target_type CHECK (target->>'type' IN ('http', 'handler')),
        CONSTRAINT ck_jobs_scheduled_needs_cron CHECK (job_type <> 'scheduled' OR cron_expression IS NOT NULL),
        CONSTRAINT ck_jobs_recurring_needs_timing CHECK (
          job_type <> 'recurring' OR cron_expression IS NOT NULL OR interval_ms IS NOT NULL),
        CONSTRAINT ck_jobs_delayed_needs_timing CHECK (
          job_type <> 'delayed' OR cron_expression IS NOT NULL OR run_at IS NOT NULL)
      )`);
    // Due-job scan: only active jobs with a slot, earliest first.
    await q.query(
      `CREATE INDEX ix_jobs_due ON jobs (next_run_at) WHERE is_active AND next_run_at IS NOT NULL`,
    );
    // Default listing order (newest first) with a stable tie-break for pagination.
    await q.query(`CREATE INDEX ix_jobs_created ON jobs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_jobs_type_active ON jobs (job_type, is_active)`);
    await q.query(`CREATE INDEX ix_jobs_tags ON jobs USING gin (tags)`);
    // ILIKE '%term%' on name and description stays indexed through trigrams.
    await q.query(`CREATE INDEX ix_jobs_name_trgm ON jobs USING gin (name gin_trgm_ops)`);
    await q.query(
      `CREATE INDEX ix_jobs_description_trgm ON jobs USING gin (description gin_trgm_ops)`,
    );

    // updated_at and change notifications fire only when the job's definition changes, not when
    // the scheduler advances next_run_at or bumps counters (that would wake every replica per firing).
    await q.query(`
      CREATE FUNCTION jobs_definition_changed(o jobs, n jobs) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT (o.name, o.description, o.cron_expression, o.is_active, o.job_type, o.payload,
                o.timezone, o.interval_ms, o.run_at, o.target, o.concurrency_policy,
                o.misfire_policy, o.retry_backoff, o.timeout_ms, o.max_retries, o.retry_delay_ms,
                o.created_by, o.tags)
          IS DISTINCT FROM
               (n.name, n.description, n.cron_expression, n.is_active, n.job_type, n.payload,
                n.timezone, n.interval_ms, n.run_at, n.target, n.concurrency_policy,
                n.misfire_policy, n.retry_backoff, n.timeout_ms, n.max_retries, n.retry_delay_ms,
                n.created_by, n.tags)
      $$`);
    await q.query(`
      CREATE FUNCTION jobs_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF jobs_definition_changed(OLD, NEW) THEN
          NEW.updated_at := now();
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_jobs_updated_at BEFORE UPDATE ON jobs
      FOR EACH ROW EXECUTE FUNCTION jobs_touch_updated_at()`);
    // Payload is "<id>:<op>", tiny on purpose; listeners re-read the row.
    await q.query(`
      CREATE FUNCTION jobs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('job_changed', OLD.id::text || ':' || TG_OP);
          RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND NOT jobs_definition_changed(OLD, NEW) THEN
          RETURN NEW;
        END IF;
        PERFORM pg_notify('job_changed', NEW.id::text || ':' || TG_OP);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_jobs_notify AFTER INSERT OR UPDATE OR DELETE ON jobs
      FOR EACH ROW EXECUTE FUNCTION jobs_notify_change()`);

    await q.query(`
      CREATE TABLE job_executions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL,
        status varchar(20) NOT NULL,
        trigger varchar(10) NOT NULL DEFAULT 'schedule',
        scheduled_for timestamptz,
        started_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        duration_ms integer,
        error_message text,
        retry_count integer NOT NULL DEFAULT 0,
        output jsonb NOT NULL DEFAULT '{}'::jsonb,
        replica_id varchar(64),
        CONSTRAINT pk_job_executions PRIMARY KEY (id, started_at),
        CONSTRAINT fk_job_executions_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
        CONSTRAINT ck_job_executions_status CHECK (
          status IN ('running', 'completed', 'failed', 'timeout', 'interrupted')),
        CONSTRAINT ck_job_executions_trigger CHECK (
          trigger IN ('schedule', 'manual', 'retry', 'recovery'))
      ) PARTITION BY RANGE (started_at)`);
    // A job's history newest first; the global list newest first; status filters; running-run sweeps.
    await q.query(
      `CREATE INDEX ix_job_executions_job_started ON job_executions (job_id, started_at DESC)`,
    );
    await q.query(`CREATE INDEX ix_job_executions_started ON job_executions (started_at DESC)`);
    await q.query(
      `CREATE INDEX ix_job_executions_status_started ON job_executions (status, started_at DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_job_executions_running ON job_executions (replica_id) WHERE status = 'running'`,
    );
    await q.query(`CREATE TABLE job_executions_default PARTITION OF job_executions DEFAULT`);

    // Creates the monthly partition holding instant `at` if missing. Rows already parked in the
    // DEFAULT partition for that month are moved first, since ATTACH refuses overlapping rows.
    await q.query(`
      CREATE FUNCTION ensure_execution_partition(at timestamptz) RETURNS text
      LANGUAGE plpgsql AS $$
      DECLARE
        lo timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        hi timestamptz := lo + interval '1 month';
        part text := 'job_executions_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
      BEGIN
        IF to_regclass(part) IS NOT NULL THEN
          RETURN part;
        END IF;
        EXECUTE format('CREATE TABLE %I (LIKE job_executions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
        EXECUTE format(
          'WITH moved AS (DELETE FROM job_executions_default WHERE started_at >= %L AND started_at < %L RETURNING *)
           INSERT INTO %I SELECT * FROM moved', lo, hi, part);
        EXECUTE format('ALTER TABLE job_executions ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       part, lo, hi);
        RETURN part;
      END $$`);
    await q.query(`
      CREATE FUNCTION ensure_execution_partitions(months_ahead integer) RETURNS integer
      LANGUAGE plpgsql AS $$
      DECLARE i integer;
      BEGIN
        FOR i IN 0..months_ahead LOOP
          PERFORM ensure_execution_partition(now() + make_interval(months => i));
        END LOOP;
        RETURN months_ahead + 1;
      END $$`);
    await q.query(`SELECT ensure_execution_partitions(2)`);

    // Retention: whole monthly partitions entirely older than the cutoff are detached and dropped
    // (no row-by-row DELETE, no bloat); the remainder is deleted. Returns rows removed, as the original.
    await q.query(`
      CREATE FUNCTION drop_execution_partitions_before(cutoff timestamptz) RETURNS bigint
      LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        n bigint;
        total bigint := 0;
      BEGIN
        FOR r IN
          SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'job_executions'::regclass AND c.relname <> 'job_executions_default'
        LOOP
          IF (regexp_match(r.bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz <= cutoff THEN
            EXECUTE format('SELECT count(*) FROM %I', r.name) INTO n;
            EXECUTE format('ALTER TABLE job_executions DETACH PARTITION %I', r.name);
            EXECUTE format('DROP TABLE %I', r.name);
            total := total + n;
          END IF;
        END LOOP;
        RETURN total;
      END $$`);
    await q.query(`
      CREATE FUNCTION cleanup_old_executions(days integer) RETURNS bigint
      LANGUAGE plpgsql AS $$
      DECLARE
        cutoff timestamptz := now() - make_interval(days => days);
        dropped bigint;
        deleted bigint;
      BEGIN
        IF days IS NULL OR days < 0 THEN
          RAISE EXCEPTION 'days must be a non-negative integer';
        END IF;
        dropped := drop_execution_partitions_before(cutoff);
        DELETE FROM job_executions WHERE started_at < cutoff;
        GET DIAGNOSTICS deleted = ROW_COUNT;
        RETURN dropped + deleted;
      END $$`);

    await q.query(`
      CREATE TABLE scheduler_replicas (
        id varchar(64) NOT NULL,
        hostname varchar(255) NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        stopped_at timestamptz,
        CONSTRAINT pk_scheduler_replicas PRIMARY KEY (id)
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        password_hash varchar(255) NOT NULL,
        role varchar(10) NOT NULL DEFAULT 'viewer',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT ck_users_role CHECK (role IN ('admin', 'viewer'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS users`);
    await q.query(`DROP TABLE IF EXISTS scheduler_replicas`);
    await q.query(`DROP FUNCTION IF EXISTS cleanup_old_executions(integer)`);
    await q.query(`DROP FUNCTION IF EXISTS drop_execution_partitions_before(timestamptz)`);
    await q.query(`DROP FUNCTION IF EXISTS ensure_execution_partitions(integer)`);
    await q.query(`DROP FUNCTION IF EXISTS ensure_execution_partition(timestamptz)`);
    await q.query(`DROP TABLE IF EXISTS job_executions`);
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_notify ON jobs`);
    await q.query(`DROP TRIGGER IF EXISTS tr_jobs_updated_at ON jobs`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_notify_change()`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_touch_updated_at()`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_definition_changed(jobs, jobs)`);
    await q.query(`DROP TABLE IF EXISTS jobs`);
  }
}
