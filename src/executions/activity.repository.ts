import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** $1 from, $2 to, $3 bucket length in seconds (bench/console.ts runs the same text). */
export const ACTIVITY_BUCKETS_SQL = `SELECT date_bin(make_interval(secs => $3), started_at, $1::timestamptz) AS bucket,
        count(*)::int AS firings,
        count(*) FILTER (WHERE status IN ('failed', 'timeout'))::int AS failures,
        percentile_disc(0.99) WITHIN GROUP (
          ORDER BY extract(epoch FROM started_at - scheduled_for) * 1000
        ) FILTER (WHERE trigger = 'schedule' AND scheduled_for IS NOT NULL) AS lag_p99
   FROM job_executions
  WHERE started_at >= $1 AND started_at < $2
  GROUP BY 1
  ORDER BY 1`;

/** $1 from, $2 to. */
export const FAILING_JOBS_SQL = `SELECT count(DISTINCT job_id)::int AS n
   FROM job_executions
  WHERE status IN ('failed', 'timeout') AND started_at >= $1 AND started_at < $2`;

export interface ActivityBucketRow {
  bucket: Date;
  firings: number;
  failures: number;
  lagP99: number | null;
}

/**
 * Execution activity per time bucket for the console's overview. Both statements read a
 * `started_at` range, so they touch only the newest partition(s) through ix_job_executions_started
 * and ix_job_executions_status_started; their cost follows the runs in the window, not the table
 * (bench/activity.ts measures it).
 */
@Injectable()
export class ActivityRepository {
  constructor(private readonly dataSource: DataSource) {}

  async buckets(from: Date, to: Date, bucketSeconds: number): Promise<ActivityBucketRow[]> {
    const rows = await this.dataSource.query<
      { bucket: Date; firings: number; failures: number; lag_p99: string | null }[]
    >(ACTIVITY_BUCKETS_SQL, [from, to, bucketSeconds]);
    return rows.map((r) => ({
      bucket: r.bucket,
      firings: r.firings,
      failures: r.failures,
      lagP99: r.lag_p99 === null ? null : Math.max(0, Math.round(Number(r.lag_p99))),
    }));
  }

  async failingJobs(from: Date, to: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(FAILING_JOBS_SQL, [from, to]);
    return row.n;
  }
}
