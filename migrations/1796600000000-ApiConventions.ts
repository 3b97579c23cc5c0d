import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API conventions (issue 18, design 7.5).
 * - jobs.version: bumped by the BEFORE UPDATE trigger that already fires only when a definition
 *   column changes (tr_jobs_updated_at WHEN jobs_definition_changed), so the scheduler's
 *   counters and next_run_at never move it. The ETag and If-Match checks read it.
 * - audit_log: who changed what, range-partitioned by month on `at` like job_executions, with a
 *   DEFAULT partition (an insert never fails) and retention that drops whole months. The
 *   partition functions are generic (table name as argument) so the next partitioned table
 *   reuses them.
 * - idempotency_keys: the first response to an Idempotency-Key, per caller, for 24 h; the
 *   primary key decides which of several concurrent requests runs.
 * - api_keys: machine credentials, stored as a SHA-256 of the key (see ApiKeysService).
 */
export class ApiConventions1796600000000 implements MigrationInterface {
  name = 'ApiConventions1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT ck_jobs_version CHECK (version >= 1)`);
    await q.query(touchUpdatedAt('NEW.version := OLD.version + 1;'));

    await q.query(`
      CREATE TABLE audit_log (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        actor_type varchar(10) NOT NULL,
        actor_id uuid,
        actor_name varchar(255),
        action varchar(64) NOT NULL,
        resource_type varchar(32) NOT NULL,
        resource_id uuid NOT NULL,
        request_id varchar(128),
        changes jsonb NOT NULL DEFAULT '{}'::jsonb,
        CONSTRAINT pk_audit_log PRIMARY KEY (id, at),
        CONSTRAINT ck_audit_log_actor_type CHECK (actor_type IN ('user', 'api_key', 'system'))
      ) PARTITION BY RANGE (at)`);
    // A resource's history, the global list, and "what did this actor do", all newest first.
    await q.query(
      `CREATE INDEX ix_audit_log_resource ON audit_log (resource_type, resource_id, at DESC)`,
    );
    await q.query(`CREATE INDEX ix_audit_log_at ON audit_log (at DESC)`);
    await q.query(`CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, at DESC)`);
    await q.query(`CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT`);
    await q.query(ENSURE_MONTH_PARTITION);
    await q.query(DROP_MONTH_PARTITIONS_BEFORE);
    await q.query(`
      CREATE FUNCTION cleanup_old_audit(days integer) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        cutoff timestamptz := now() - make_interval(days => days);
        dropped bigint;
        deleted bigint;
      BEGIN
        IF days IS NULL OR days < 1 THEN
          RAISE EXCEPTION 'days must be a positive integer';
        END IF;
        dropped := drop_month_partitions_before('audit_log', cutoff);
        DELETE FROM audit_log WHERE at < cutoff;
        GET DIAGNOSTICS deleted = ROW_COUNT;
        RETURN dropped + deleted;
      END $$`);
    await q.query(`
      SELECT ensure_month_partition('audit_log', 'at', now() + make_interval(months => i))
      FROM generate_series(0, 2) AS i`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        caller varchar(80) NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        state varchar(10) NOT NULL DEFAULT 'pending',
        status_code integer,
        response text,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (caller, key),
        CONSTRAINT ck_idempotency_keys_state CHECK (state IN ('pending', 'done')),
        CONSTRAINT ck_idempotency_keys_done CHECK (
          state = 'pending' OR (status_code IS NOT NULL AND response IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at)`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        prefix varchar(16) NOT NULL,
        key_hash char(64) NOT NULL,
        role varchar(10) NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT pk_api_keys PRIMARY KEY (id),
        CONSTRAINT uq_api_keys_prefix UNIQUE (prefix),
        CONSTRAINT uq_api_keys_hash UNIQUE (key_hash),
        CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'viewer')),
        CONSTRAINT ck_api_keys_name CHECK (length(name) BETWEEN 1 AND 100)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_keys`);
    await q.query(`DROP TABLE IF EXISTS idempotency_keys`);
    await q.query(`DROP FUNCTION IF EXISTS cleanup_old_audit(integer)`);
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS drop_month_partitions_before(regclass, timestamptz)`);
    await q.query(`DROP FUNCTION IF EXISTS ensure_month_partition(regclass, text, timestamptz)`);
    await q.query(touchUpdatedAt(''));
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT IF EXISTS ck_jobs_version`);
    await q.query(`ALTER TABLE jobs DROP COLUMN IF EXISTS version`);
  }
}

/** The trigger function of tr_jobs_updated_at, with `extra` run on every definition change. */
function touchUpdatedAt(extra: string): string {
  return `
    CREATE OR REPLACE FUNCTION jobs_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF jobs_definition_changed(OLD, NEW) THEN
        NEW.updated_at := now();
        ${extra}
      END IF;
      RETURN NEW;
    END $$`;
}

/**
 * Creates the monthly partition of `parent` (range-partitioned on `col`) holding instant `at` if
 * missing, named <parent>_YYYY_MM; rows of that month parked in <parent>_default move first,
 * since ATTACH refuses overlapping rows.
 */
const ENSURE_MONTH_PARTITION = `
  CREATE FUNCTION ensure_month_partition(parent regclass, col text, at timestamptz) RETURNS text
  LANGUAGE plpgsql AS $$
  DECLARE
    lo timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi timestamptz := lo + interval '1 month';
    base text := parent::text;
    part text := base || '_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
  BEGIN
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, base);
      EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *)
                      INSERT INTO %I SELECT * FROM moved',
                     base || '_default', col, lo, col, hi, part);
      EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                     base, part, lo, hi);
    END IF;
    RETURN part;
  END $$`;

/**
 * Detaches and drops every monthly partition of `parent` that ends at or before `cutoff`; the
 * rows removed are PostgreSQL's estimate (reltuples), counted only for a never-analysed
 * partition (see RetentionWithoutCount).
 */
const DROP_MONTH_PARTITIONS_BEFORE = `
  CREATE FUNCTION drop_month_partitions_before(parent regclass, cutoff timestamptz) RETURNS bigint
  LANGUAGE plpgsql AS $$
  DECLARE
    r record;
    n bigint;
    total bigint := 0;
  BEGIN
    FOR r IN
      SELECT c.relname AS name, c.reltuples::bigint AS n, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = parent AND c.relname <> parent::text || '_default'
    LOOP
      IF (regexp_match(r.bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz <= cutoff THEN
        n := r.n;
        IF n < 0 THEN
          EXECUTE format('SELECT count(*) FROM %I', r.name) INTO n;
        END IF;
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent::text, r.name);
        EXECUTE format('DROP TABLE %I', r.name);
        total := total + n;
      END IF;
    END LOOP;
    RETURN total;
  END $$`;
