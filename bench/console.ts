import pg from 'pg';
import { type Contender, runInterleaved } from './lib/ab.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { createScratchDatabase, withClient } from './lib/db.js';
import { ensureMonths, loadExecutions } from './lib/history-data.js';
import { machineFacts, writeResult } from './lib/results.js';
import { JOB_ID_SQL, seedJobs } from './lib/seed.js';
import { since, summarize } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { ACTIVITY_SCAN_SQL, toActivityScan } from '../src/executions/activity.repository.js';
import { ActivityWindow, type ActivitySource } from '../src/executions/activity-window.js';
import { soonestDueSql } from '../src/jobs/jobs.repository.js';

/**
 * console: the aggregates behind the web console's overview at scale. `--jobs` active jobs
 * (default 100,000) due over the next hour, `--rows` executions over 6 monthly partitions
 * (default 5,000,000) plus `--recent` runs in the last 6 hours (default 360,000: 1,000 a
 * minute, a busy system). Each statement is the service's own text (ACTIVITY_SCAN_SQL,
 * soonestDueSql), timed on one warm connection, interleaved run by run: the
 * whole window in one statement (what a replica pays the first time, or after a job change), and
 * the overview's refresh through the service's ActivityWindow once it holds the settled buckets.
 */
const UPCOMING_COLUMNS =
  'id, name, timezone, job_type AS "jobType", cron_expression AS "cronExpression", ' +
  'interval_ms AS "intervalMs", run_at AS "runAt", next_run_at AS "nextRunAt"';

interface Kind {
  name: string;
  /** One measured call on a warm connection (`prepare` ran once before, untimed). */
  run: (pool: pg.Pool) => Promise<unknown>;
  prepare?: (pool: pg.Pool) => Promise<unknown>;
}

/** The window the service shows: aligned to whole buckets, ending with the current one. */
function windowOf(hours: number, bucketS: number): { from: Date; to: Date } {
  const to = new Date(Math.ceil((Date.now() + 1) / (bucketS * 1000)) * bucketS * 1000);
  return { from: new Date(to.getTime() - hours * 3_600_000), to };
}

/** The service's source, on the benchmark's pool. */
function poolSource(pool: pg.Pool): ActivitySource {
  return {
    scan: async (from, to, bucketS) =>
      toActivityScan((await pool.query(ACTIVITY_SCAN_SQL, [from, to, bucketS])).rows),
  };
}

function kinds(): Kind[] {
  const whole = (hours: number, bucketS: number): Kind => ({
    name: `activity ${hours} h / ${bucketS / 60} min, one statement`,
    run: (pool) => {
      const { from, to } = windowOf(hours, bucketS);
      return pool.query(ACTIVITY_SCAN_SQL, [from, to, bucketS]);
    },
  });
  const held = (hours: number, bucketS: number): Kind => {
    let window: ActivityWindow | undefined;
    const read = (): Promise<unknown> => {
      const { from, to } = windowOf(hours, bucketS);
      return (window as ActivityWindow).read(from, to, bucketS * 1000, new Date());
    };
    return {
      name: `activity ${hours} h / ${bucketS / 60} min, refresh (window held)`,
      prepare: (pool) => {
        window = new ActivityWindow(poolSource(pool));
        return read();
      },
      run: read,
    };
  };
  return [
    whole(1, 60),
    whole(6, 300),
    whole(24, 900),
    held(1, 60),
    held(6, 300),
    held(24, 900),
    {
      name: 'upcoming: soonest 100 in 1 h',
      run: (pool) =>
        pool.query(soonestDueSql(UPCOMING_COLUMNS), [new Date(Date.now() + 3_600_000), 100]),
    },
  ];
}

function contender(url: string, kind: Kind, queries: number): Contender {
  return {
    name: kind.name,
    run: async () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await (kind.prepare ?? kind.run)(pool);
        const latencies: number[] = [];
        for (let i = 0; i < queries; i++) {
          const t = performance.now();
          await kind.run(pool);
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
