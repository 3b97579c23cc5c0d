import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention in constant time. drop_execution_partitions_before counted each month's rows before
 * dropping it, so retiring a month read the whole partition: the `history` benchmark measured the
 * DETACH + DROP of a 830,000-row month at 0.48 s, most of it that count, and growing with the
 * month. The rows removed by a dropped partition are now PostgreSQL's own figure for it
 * (pg_class.reltuples, kept by VACUUM and ANALYZE: autovacuum has long analysed a month-old
 * partition); only a partition never analysed (reltuples < 0) is still counted.
 */
export class RetentionWithoutCount1796100000000 implements MigrationInterface {
  name = 'RetentionWithoutCount1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      dropPartitionsBefore(`
          SELECT c.reltuples::bigint INTO n FROM pg_class c WHERE c.oid = r.oid;
          IF n < 0 THEN
            EXECUTE format('SELECT count(*) FROM %I', r.name) INTO n;
          END IF;`),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      dropPartitionsBefore(`EXECUTE format('SELECT count(*) FROM %I', r.name) INTO n;`),
    );
  }
}

/** The function, with `countRows` (PL/pgSQL setting n for partition r) as its row figure. */
function dropPartitionsBefore(countRows: string): string {
  return `
    CREATE OR REPLACE FUNCTION drop_execution_partitions_before(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql AS $$
    DECLARE
      r record;
      n bigint;
      total bigint := 0;
    BEGIN
      FOR r IN
        SELECT c.oid, c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'job_executions'::regclass AND c.relname <> 'job_executions_default'
      LOOP
        IF (regexp_match(r.bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz <= cutoff THEN
          ${countRows}
          EXECUTE format('ALTER TABLE job_executions DETACH PARTITION %I', r.name);
          EXECUTE format('DROP TABLE %I', r.name);
          total := total + n;
        END IF;
      END LOOP;
      RETURN total;
    END $$`;
}
