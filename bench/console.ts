import pg from 'pg';
import { type Contender, runInterleaved } from './lib/ab.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { createScratchDatabase, withClient } from './lib/db.js';
import { ensureMonths, loadExecutions } from './lib/history-data.js';
import { machineFacts, writeResult } from './lib/results.js';
import { JOB_ID_SQL, seedJobs } from './lib/seed.js';
import { since, summarize } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { ACTIVITY_BUCKETS_SQL, FAILING_JOBS_SQL } from '../src/executions/activity.repository.js';
import { soonestDueSql } from '../src/jobs/jobs.repository.js';

/**
 * console: the aggregates behind the web console's overview at scale. `--jobs` active jobs
 * (default 100,000) due over the next hour, `--rows` executions over 6 monthly partitions
 * (default 5,000,000) plus `--recent` runs in the last 6 hours (default 360,000: 1,000 a
 * minute, a busy system). Each statement is the service's own text (ACTIVITY_BUCKETS_SQL,
 * FAILING_JOBS_SQL, soonestDueSql), timed on one warm connection, interleaved run by run.
 */
const UPCOMING_COLUMNS =
  'id, name, timezone, job_type AS "jobType", cron_expression AS "cronExpression", ' +
  'interval_ms AS "intervalMs", run_at AS "runAt", next_run_at AS "nextRunAt"';

interface Kind {
  name: string;
  query: () => pg.QueryConfig;
}

function kinds(): Kind[] {
  const window = (hours: number, bucketS: number): (() => pg.QueryConfig) => {
    return () => {
      const to = new Date(Math.ceil(Date.now() / (bucketS * 1000)) * bucketS * 1000);
      const from = new Date(to.getTime() - hours * 3_600_000);
      return { text: ACTIVITY_BUCKETS_SQL, values: [from, to, bucketS] };
    };
  };
  return [
    { name: 'activity 1 h / 1 min', query: window(1, 60) },
    { name: 'activity 6 h / 5 min', query: window(6, 300) },
    { name: 'activity 24 h / 15 min', query: window(24, 900) },
    {
      name: 'failing jobs, 6 h',
      query: () => ({
        text: FAILING_JOBS_SQL,
        values: [new Date(Date.now() - 6 * 3_600_000), new Date()],
      }),
    },
    {
      name: 'upcoming: soonest 100 in 1 h',
      query: () => ({
        text: soonestDueSql(UPCOMING_COLUMNS),
        values: [new Date(Date.now() + 3_600_000), 100],
      }),
    },
  ];
}

function contender(url: string, kind: Kind, queries: number): Contender {
  return {
    name: kind.name,
    run: async () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await pool.query(kind.query());
        const latencies: number[] = [];
        for (let i = 0; i < queries; i++) {
          const t = performance.now();
          await pool.query(kind.query());
          latencies.push(since(t));
        }
        const s = summarize(latencies);
        return { p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max };
      } finally {
        await pool.end();
      }
    },
  };
}

/** The last 6 hours at `recent` runs, ~5% failed, lag 0-60 ms with a slow minute now and then. */
async function loadRecent(c: pg.ClientBase, recent: number, jobs: number): Promise<void> {
  await c.query(
    `INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at,
                                 completed_at, duration_ms, error_message, retry_count, output)
     SELECT ${JOB_ID_SQL('1 + g % $2')},
            CASE WHEN g % 20 = 0 THEN 'failed' ELSE 'completed' END,
            'schedule',
            s - make_interval(secs => (g % 60 + CASE WHEN g % 997 = 0 THEN 900 ELSE 0 END) / 1000.0),
            s, s + interval '1 second', 1000,
            CASE WHEN g % 20 = 0 THEN 'HTTP 503' END, 0, '{}'::jsonb
       FROM generate_series(1, $1) AS g,
            LATERAL (SELECT now() - make_interval(secs => g * 21600.0 / $1) AS s) AS t`,
    [recent, jobs],
  );
  await c.query('ANALYZE job_executions');
}

main(async () => {
  const { quick, runs, values } = parseOptions({
    jobs: { type: 'string' },
    rows: { type: 'string' },
    recent: { type: 'string' },
    queries: { type: 'string' },
  });
  const jobs = intOption(values.jobs, quick ? 2_000 : 100_000);
  const rows = intOption(values.rows, quick ? 20_000 : 5_000_000);
  const recent = intOption(values.recent, quick ? 3_600 : 360_000);
  const queries = intOption(values.queries, quick ? 10 : 100);
  const db = await createScratchDatabase('console');
  try {
    const loadStarted = performance.now();
    await withClient(db.url, async (c) => {
      await seedJobs(c, jobs, { nextRunAt: `now() + make_interval(secs => g % 3600)` });
      const months = await ensureMonths(c, 6);
      await loadExecutions(c, months, rows, jobs);
      await loadRecent(c, recent, jobs);
    });
    console.log(`loaded ${jobs} jobs, ${rows + recent} executions in ${Math.round(since(loadStarted))} ms`);
    const all = kinds().map((k) => contender(db.url, k, queries));
    const result = await runInterleaved(all, runs);
    printTable(
      `console aggregates (${jobs} jobs, ${rows + recent} executions), median of ${runs}`,
      ['statement', 'p50 ms', 'p99 ms', 'p99 min', 'p99 max'],
      all.map((k) => {
        const f = result.summary[k.name];
        return [k.name, f.p50Ms.median, f.p99Ms.median, f.p99Ms.min, f.p99Ms.max];
      }),
    );
    const file = writeResult('console', quick, {
      machine: await machineFacts(),
      options: { jobs, rows, recent, queries, runs },
      result,
    });
    console.log(`written ${file}`);
  } finally {
    await db.drop();
  }
});
