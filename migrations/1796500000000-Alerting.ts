import type { MigrationInterface, QueryRunner } from 'typeorm';
import { definitionChangedSql } from './1796300000000-JobPause.js';
import { CALENDARS_DEFINITION_COLUMNS } from './1796400000000-CalendarsAndBackfills.js';

/** The definition columns before this migration (up to CalendarsAndBackfills), restored by `down`. */
const DEFINITION_BEFORE = CALENDARS_DEFINITION_COLUMNS;
/** The definition columns with the alerting fields (the next migration starts from these). */
export const ALERTING_DEFINITION_COLUMNS = [
  ...DEFINITION_BEFORE,
  'alerts',
  'auto_pause_after_failures',
];
const DEFINITION_AFTER = ALERTING_DEFINITION_COLUMNS;

/**
 * Failure handling and alerting (issue 16).
 * - jobs: the definition fields `alerts` and `auto_pause_after_failures`, and the figures the run
 *   ledger keeps at finish time: `consecutive_failures`, `last_success_at`, `last_failure_at`, and
 *   bounded windows of the last 100 lags and durations (so reads never scan history).
 * - job_executions: `http_status`, `final_failure` (failed or timed out with no retry left: a dead
 *   letter), `replay_of`; trigger `replay`. Adding columns with constant defaults rewrites nothing.
 * - execution_replays: one row per replayed execution. job_executions is partitioned, so a unique
 *   index there would have to include started_at and could not stop a second replay; this plain
 *   table's primary key does, under any concurrency.
 * - notification_channels, notifications (the outbox, one row per event and channel) and
 *   notification_attempts (one row per delivery attempt); job_alert_state remembers which missed
 *   slot and which success streak were already reported.
 */
export class Alerting1796500000000 implements MigrationInterface {
  name = 'Alerting1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs
        ADD COLUMN alerts jsonb,
        ADD COLUMN auto_pause_after_failures integer,
        ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0,
        ADD COLUMN last_success_at timestamptz,
        ADD COLUMN last_failure_at timestamptz,
        ADD COLUMN recent_lags_ms integer[] NOT NULL DEFAULT ARRAY[]::integer[],
        ADD COLUMN recent_durations_ms integer[] NOT NULL DEFAULT ARRAY[]::integer[],
        ADD CONSTRAINT ck_jobs_auto_pause CHECK (
          auto_pause_after_failures IS NULL OR auto_pause_after_failures BETWEEN 1 AND 100),
        ADD CONSTRAINT ck_jobs_alerts_object CHECK (alerts IS NULL OR jsonb_typeof(alerts) = 'object'),
        ADD CONSTRAINT ck_jobs_consecutive_failures CHECK (consecutive_failures >= 0)`);
    await q.query(definitionChangedSql(DEFINITION_AFTER));
    // The missed / no-success watch reads only jobs with alerts. Keyed by id, and the predicate
    // names no column the scheduler writes, so claims and outcomes stay heap-only (HotSlotClaims).
    await q.query(`CREATE INDEX ix_jobs_watched ON jobs (id) WHERE alerts IS NOT NULL`);

    await q.query(`
      ALTER TABLE job_executions
        ADD COLUMN http_status smallint,
        ADD COLUMN final_failure boolean NOT NULL DEFAULT false,
        ADD COLUMN replay_of uuid,
        DROP CONSTRAINT ck_job_executions_trigger,
        ADD CONSTRAINT ck_job_executions_trigger CHECK (
          trigger IN ('schedule', 'manual', 'retry', 'recovery', 'backfill', 'replay'))`);
    // Dead letters, newest first: a small partial index per partition.
    await q.query(`
      CREATE INDEX ix_job_executions_final ON job_executions (started_at DESC)
      WHERE final_failure`);
    await q.query(`
      CREATE TABLE execution_replays (
        execution_id uuid NOT NULL,
        replay_id uuid NOT NULL,
        job_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_execution_replays PRIMARY KEY (execution_id),
        CONSTRAINT fk_execution_replays_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE notification_channels (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(255) NOT NULL,
        type varchar(10) NOT NULL,
        url varchar(2048) NOT NULL,
        secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_notification_channels PRIMARY KEY (id),
        CONSTRAINT ck_notification_channels_type CHECK (type IN ('webhook', 'slack')),
        CONSTRAINT ck_notification_channels_name CHECK (char_length(name) BETWEEN 1 AND 255)
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        channel_id uuid NOT NULL,
        job_id uuid,
        event varchar(20) NOT NULL,
        payload jsonb NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_by varchar(64),
        claimed_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT pk_notifications PRIMARY KEY (id),
        CONSTRAINT fk_notifications_channel FOREIGN KEY (channel_id)
          REFERENCES notification_channels (id) ON DELETE CASCADE,
        CONSTRAINT ck_notifications_status CHECK (
          status IN ('pending', 'sending', 'delivered', 'failed')),
        CONSTRAINT ck_notifications_event CHECK (event IN ('job.failed', 'job.recovered',
          'job.auto_paused', 'job.missed', 'job.no_success', 'channel.test'))
      )`);
    await q.query(`
      CREATE INDEX ix_notifications_due ON notifications (next_attempt_at)
      WHERE status IN ('pending', 'sending')`);
    await q.query(
      `CREATE INDEX ix_notifications_created ON notifications (created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX ix_notifications_job ON notifications (job_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE notification_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY,
        notification_id uuid NOT NULL,
        attempt integer NOT NULL,
        replica_id varchar(64),
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        http_status smallint,
        error text,
        CONSTRAINT pk_notification_attempts PRIMARY KEY (id),
        CONSTRAINT fk_notification_attempts_notification FOREIGN KEY (notification_id)
          REFERENCES notifications (id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX ix_notification_attempts_notification ON notification_attempts (notification_id, attempt)`,
    );
    await q.query(`
      CREATE TABLE job_alert_state (
        job_id uuid NOT NULL,
        missed_slot timestamptz,
        no_success_since timestamptz,
        CONSTRAINT pk_job_alert_state PRIMARY KEY (job_id),
        CONSTRAINT fk_job_alert_state_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS job_alert_state`);
    await q.query(`DROP TABLE IF EXISTS notification_attempts`);
    await q.query(`DROP TABLE IF EXISTS notifications`);
    await q.query(`DROP TABLE IF EXISTS notification_channels`);
    await q.query(`DROP TABLE IF EXISTS execution_replays`);
    await q.query(`DROP INDEX IF EXISTS ix_job_executions_final`);
    await q.query(`DELETE FROM job_executions WHERE trigger = 'replay'`);
    await q.query(`
      ALTER TABLE job_executions
        DROP CONSTRAINT ck_job_executions_trigger,
        ADD CONSTRAINT ck_job_executions_trigger CHECK (
          trigger IN ('schedule', 'manual', 'retry', 'recovery', 'backfill')),
        DROP COLUMN replay_of,
        DROP COLUMN final_failure,
        DROP COLUMN http_status`);
    await q.query(definitionChangedSql(DEFINITION_BEFORE));
    await q.query(`DROP INDEX IF EXISTS ix_jobs_watched`);
    await q.query(`
      ALTER TABLE jobs
        DROP CONSTRAINT ck_jobs_consecutive_failures,
        DROP CONSTRAINT ck_jobs_alerts_object,
        DROP CONSTRAINT ck_jobs_auto_pause,
        DROP COLUMN recent_durations_ms,
        DROP COLUMN recent_lags_ms,
        DROP COLUMN last_failure_at,
        DROP COLUMN last_success_at,
        DROP COLUMN consecutive_failures,
        DROP COLUMN auto_pause_after_failures,
        DROP COLUMN alerts`);
  }
}
