import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ActivityBucketRow, ActivityScan, ActivitySource } from './activity-window.js';

/** $1 from, $2 to, $3 bucket length in seconds: the buckets that have runs, oldest first. */
const ACTIVITY_BUCKETS_SQL = `SELECT date_bin(make_interval(secs => $3), started_at, $1::timestamptz) AS bucket,
        count(*)::int AS firings,
        count(*) FILTER (WHERE status IN ('failed', 'timeout'))::int AS failures,
        percentile_disc(0.99) WITHIN GROUP (
          ORDER BY extract(epoch FROM started_at - scheduled_for) * 1000
        ) FILTER (WHERE trigger = 'schedule' AND scheduled_for IS NOT NULL) AS lag_p99,
        coalesce(array_agg(DISTINCT job_id) FILTER (WHERE status IN ('failed', 'timeout')), '{}')
          AS failing_job_ids
   FROM job_executions
  WHERE started_at >= $1 AND started_at < $2
  GROUP BY 1`;

/**
 * The buckets, the oldest run still running in the range (ix_job_executions_status_started: a few
 * rows) and the jobs' list generation, in one statement so all three come from one snapshot:
 * one row with a null bucket when the range has no runs.
 */
export const ACTIVITY_SCAN_SQL = `SELECT s.oldest_running, s.gen, b.*
   FROM (SELECT (SELECT min(started_at) FROM job_executions
                  WHERE status = 'running' AND started_at >= $1 AND started_at < $2) AS oldest_running,
                (SELECT gen FROM job_list_generation)::text AS gen) AS s
   LEFT JOIN (${ACTIVITY_BUCKETS_SQL}) AS b ON true
  ORDER BY b.bucket`;

interface ScanSqlRow {
  oldest_running: Date | null;
  gen: string;
  bucket: Date | null;
  firings: number;
  failures: number;
  lag_p99: string | null;
  failing_job_ids: string[];
}

const toActivityRow = (r: ScanSqlRow): ActivityBucketRow => ({
  bucket: r.bucket as Date,
  firings: r.firings,
  failures: r.failures,
  lagP99: r.lag_p99 === null ? null : Math.max(0, Math.round(Number(r.lag_p99))),
  failingJobIds: r.failing_job_ids,
});

/** The statement's rows as ActivityWindow reads them (bench/console.ts uses it too). */
export function toActivityScan(rows: ScanSqlRow[]): ActivityScan {
  return {
    oldestRunning: rows[0].oldest_running,
    generation: rows[0].gen,
    rows: rows.filter((r) => r.bucket !== null).map(toActivityRow),
  };
}


/**
 * Execution activity per time bucket for the console's overview. The statement reads a
 * `started_at` range, so it touches only the newest partition(s) through ix_job_executions_started
 * and ix_job_executions_status_started; its cost follows the runs in the range, not the table,
 * and ActivityWindow asks only for the range it does not hold yet (bench/console.ts measures both).
 * It reads the jobs module's `job_list_generation` (ARCHITECTURE.md): a deleted job's runs are gone.
 */
@Injectable()
export class ActivityRepository implements ActivitySource {
  constructor(private readonly dataSource: DataSource) {}

  async scan(from: Date, to: Date, bucketSeconds: number): Promise<ActivityScan> {
    return toActivityScan(
      await this.dataSource.query<ScanSqlRow[]>(ACTIVITY_SCAN_SQL, [from, to, bucketSeconds]),
    );
  }
}
