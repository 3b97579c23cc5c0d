import type pg from 'pg';
import type { Figures } from './ab.js';
import { startApp, waitReady, type AppProcess } from './app-process.js';
import { sleep } from './cli.js';
import { createScratchDatabase, withClient } from './db.js';
import type { ProbeReply } from './probe.js';
import { startReceiver } from './receiver.js';
import { nextCronFire } from '../../src/jobs/schedule/schedule.js';
import { cronMix, MIX_ZONES } from './cron-mix.js';
import { httpTargetSql, seedJobs } from './seed.js';

export interface FiringOptions {
  /** Active jobs registered. */
  jobs: number;
  /** Firings per second: 60 × rate jobs fire every minute at second S = i % 60, the rest never. */
  rate: number;
  windowSeconds: number;
  warmupSeconds: number;
  target: 'http' | 'log';
  replicas: number;
  /** The app's entry point (default: this build's, or BENCH_APP_MAIN). */
  main?: string;
}

/**
 * Seeds the jobs before the app boots: 60 × rate "firing" jobs on `S * * * * *` (S = i % 60, so
 * every second has `rate` slots; payload.s = S lets SQL derive the expected slots) and the rest
 * from the realistic mix (seedMix). misfire_policy 'skip', so slots that passed
 * while booting are not caught up and the window holds only on-time work.
 */
async function seed(c: pg.ClientBase, o: FiringOptions, targetUrl: string): Promise<number> {
  const firing = Math.min(o.jobs, o.rate * 60);
  const target = o.target === 'http' ? httpTargetSql(targetUrl) : undefined;
  await seedJobs(c, firing, {
    cron: `((g - 1) % 60) || ' * * * * *'`,
    payload: `jsonb_build_object('s', (g - 1) % 60)`,
    // The job's next occurrence of second S: this minute if still ahead, else the next one.
    nextRunAt: `date_trunc('minute', now()) + make_interval(secs => (g - 1) % 60)
      + CASE WHEN date_trunc('minute', now()) + make_interval(secs => (g - 1) % 60) <= now()
             THEN interval '1 minute' ELSE interval '0' END`,
    target,
    misfirePolicy: 'skip',
  });
  if (o.jobs > firing) {
    await seedMix(c, o.jobs - firing, firing + 1, target);
  }
  return firing;
}

/**
 * The other jobs: the realistic mix (cron-mix.ts, 1,200 distinct expressions over 50 zones), with
 * the next_run_at an API create would have stored, so the start-up pass verifies (recomputes)
 * every one of them. Their slots are not judged: only the `S * * * * *` jobs are (payload.s).
 */
async function seedMix(
  c: pg.ClientBase,
  count: number,
  first: number,
  target: string | undefined,
): Promise<void> {
  const exprs = cronMix();
  const now = new Date();
  const cron: string[] = [];
  const zone: string[] = [];
  const next: Date[] = [];
  for (let i = 0; i < exprs.length * MIX_ZONES.length && cron.length < count; i++) {
    const e = exprs[i % exprs.length];
    const z = MIX_ZONES[Math.floor(i / exprs.length + i) % MIX_ZONES.length];
    cron.push(e);
    zone.push(z);
    next.push(nextCronFire(e, z, now));
  }
  await c.query(
    'CREATE TEMP TABLE mix (n int PRIMARY KEY, cron text, zone text, next timestamptz)',
  );
  await c.query(
    'INSERT INTO mix SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[])',
    [cron.map((_, i) => i), cron, zone, next],
  );
  const pick = `(SELECT %s FROM mix WHERE mix.n = (g - ${first}) % ${cron.length})`;
  await seedJobs(c, count, {
    first,
    cron: pick.replace('%s', 'cron'),
    timezone: pick.replace('%s', 'zone'),
    nextRunAt: pick.replace('%s', 'next'),
    target,
    misfirePolicy: 'skip',
  });
  await c.query('DROP TABLE mix');
}

/**
 * Lag (started_at - scheduled_for), missed, doubled and unexpected slots in [from, to). Slots of
 * the mix jobs count for lag and doubled, not for unexpected (their slots are not derived here).
 */
async function judge(c: pg.ClientBase, from: Date, to: Date): Promise<Figures> {
  const lag = await c.query<{ p50: number; p99: number; max: number; n: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max, count(*)::int AS n
     FROM (SELECT (extract(epoch FROM started_at - scheduled_for) * 1000)::float8 AS ms
           FROM job_executions
           WHERE trigger = 'schedule' AND scheduled_for >= $1 AND scheduled_for < $2) l`,
    [from, to],
  );
  const slots = await c.query<{
    expected: number;
    missed: number;
    doubled: number;
    unexpected: number;
  }>(
    `WITH expected AS (
       SELECT j.id AS job_id, t AS slot FROM jobs j
       JOIN generate_series($1::timestamptz, $2::timestamptz - interval '1 second', interval '1 second') t
         ON extract(second FROM t)::int = (j.payload->>'s')::int
       WHERE j.payload ? 's'),
     seen AS (
       SELECT e.job_id, e.scheduled_for AS slot, count(*) AS n, bool_and(j.payload ? 's') AS judged
       FROM job_executions e JOIN jobs j ON j.id = e.job_id
       WHERE e.scheduled_for >= $1 AND e.scheduled_for < $2 GROUP BY 1, 2)
     SELECT (SELECT count(*) FROM expected)::int AS expected,
            (SELECT count(*) FROM expected x WHERE NOT EXISTS
               (SELECT 1 FROM seen s WHERE s.job_id = x.job_id AND s.slot = x.slot))::int AS missed,
            (SELECT count(*) FROM seen WHERE n > 1)::int AS doubled,
            (SELECT count(*) FROM seen s WHERE s.judged AND NOT EXISTS
               (SELECT 1 FROM expected x WHERE x.job_id = s.job_id AND x.slot = s.slot))::int AS unexpected`,
    [from, to],
  );
  const l = lag.rows[0];
  return {
    lagP50Ms: l.p50,
    lagP99Ms: l.p99,
    lagMaxMs: l.max,
    firings: l.n,
    ...slots.rows[0],
    ...(await stallSuspects(c, from, to)),
  };
}

/**
 * Where a lag spike sits against the database's own background work: the second of the window
 * with the worst lag, and (seconds from the window's start; NaN if never) the last checkpoint and
 * the last autovacuum / autoanalyze of `jobs`, which the claims update 1,000 times a second.
 */
async function stallSuspects(c: pg.ClientBase, from: Date, to: Date): Promise<Figures> {
  const { rows } = await c.query<Record<string, number | null>>(
    `SELECT (SELECT extract(epoch FROM scheduled_for - $1::timestamptz) FROM job_executions
             WHERE trigger = 'schedule' AND scheduled_for >= $1 AND scheduled_for < $2
             ORDER BY started_at - scheduled_for DESC LIMIT 1) AS worst_slot_s,
            extract(epoch FROM k.checkpoint_time - $1::timestamptz) AS checkpoint_s,
            extract(epoch FROM t.last_autovacuum - $1::timestamptz) AS jobs_autovacuum_s,
            extract(epoch FROM t.last_autoanalyze - $1::timestamptz) AS jobs_autoanalyze_s
     FROM pg_control_checkpoint() k
     LEFT JOIN pg_stat_user_tables t ON t.relname = 'jobs'`,
    [from, to],
  );
  const n = (v: number | null | undefined): number =>
    v === null || v === undefined ? NaN : Number(v);
  const r = rows[0];
  return {
    worstSlotAtS: n(r.worst_slot_s),
    lastCheckpointAtS: n(r.checkpoint_s),
    jobsAutovacuumAtS: n(r.jobs_autovacuum_s),
    jobsAutoanalyzeAtS: n(r.jobs_autoanalyze_s),
  };
}

/** Boots `replicas` apps on `url`; returns them with the slowest spawn-to-ready time. */
async function boot(
  url: string,
  replicas: number,
  main?: string,
): Promise<{ apps: AppProcess[]; readyMs: number }> {
  const apps: AppProcess[] = [];
  for (let r = 0; r < replicas; r++) {
    apps.push(await startApp(url, { REPLICA_ID: `bench-${r}` }, main));
  }
  const times = await Promise.all(apps.map((a) => waitReady(a, 300_000)));
  return { apps, readyMs: Math.max(...times) };
}

/** Heap and RSS of an app with no jobs at all: the baseline the per-job cost is taken against. */
export async function baselineMemory(): Promise<ProbeReply> {
  const db = await createScratchDatabase('firing_base');
  try {
    const { apps } = await boot(db.url, 1);
    try {
      await sleep(2000);
      return await apps[0].probe(true);
    } finally {
      await apps[0].stop();
    }
  } finally {
    await db.drop();
  }
}

/** One firing measurement: seed, boot, arm, watch a window of slots, judge it from the rows. */
export async function measureFiring(o: FiringOptions, base: ProbeReply | null): Promise<Figures> {
  const db = await createScratchDatabase('firing');
  const receiver = await startReceiver();
  try {
    const firing = await withClient(db.url, (c) => seed(c, o, receiver.url));
    const { apps, readyMs } = await boot(db.url, o.replicas, o.main);
    try {
      await sleep(o.warmupSeconds * 1000);
      const armed = await apps[0].probe(true);
      const from = new Date(Math.ceil(Date.now() / 1000) * 1000);
      const to = new Date(from.getTime() + o.windowSeconds * 1000);
      receiver.reset();
      await sleep(from.getTime() - Date.now());
      await Promise.all(apps.map((a) => a.probe(false))); // starts the utilisation window
      await sleep(to.getTime() - Date.now());
      const loops = await Promise.all(apps.map((a) => a.probe(false)));
      await sleep(3000); // let the window's last slots commit
      const verdict = await withClient(db.url, (c) => judge(c, from, to));
      const heapPerJob = base ? (armed.heapUsed - base.heapUsed) / o.jobs : Number.NaN;
      return {
        jobs: o.jobs,
        firingJobs: firing,
        readyMs,
        timers: armed.timers,
        heapPerJobBytes: heapPerJob,
        rssMiB: armed.rss / 2 ** 20,
        heapMiB: armed.heapUsed / 2 ** 20,
        eventLoopUtilization: Math.max(...loops.map((p) => p.eventLoopUtilization)),
        // Calls the receiver got for the window's slots (by X-Scheduled-For), after the grace.
        targetCalls: o.target === 'http' ? receiver.callsForSlots(from, to) : Number.NaN,
        ...verdict,
      };
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
    }
  } finally {
    await receiver.close();
    await db.drop();
  }
}
