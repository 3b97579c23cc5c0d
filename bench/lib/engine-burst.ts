import { fork } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contender, Figures } from './ab.js';
import { engineAvailable, startApp, waitReady, type AppProcess } from './app-process.js';
import { pollUntil, sleep } from './cli.js';
import { createScratchDatabase, withClient } from './db.js';
import { startReceiver } from './receiver.js';
import { httpTargetSql, seedJobs } from './seed.js';

/** How often the burst's rows are counted (the receiver's calls are an in-process counter). */
const POLL_MS = 20;
/**
 * The burst's execution rows ($1 = the slot), read on the slot's partition only: every query of
 * the measurement scans them, and polling a scan of every partition every few milliseconds took a
 * share of the database's CPU from the engine under test.
 */
const BURST_ROWS = `job_executions
  WHERE started_at >= $1::timestamptz - interval '1 minute' AND scheduled_for = $1`;

export interface EngineBurstOptions {
  jobs: number;
  replicas: number;
  /** Seconds between seeding and the common slot: must cover boot and arming. */
  leadSeconds: number;
  target: 'http' | 'log';
}

/**
 * Our side of `burst` (and of `peers`): N jobs whose cron fires on the same second T, the app
 * (1..k replicas) booted before T; measured from T until all N execution rows exist and (http
 * target) the receiver got N calls. Also counts doubled slots (must be 0 with replicas).
 */
export async function measureEngineBurst(o: EngineBurstOptions): Promise<Figures> {
  const db = await createScratchDatabase('burst_engine');
  const receiver = await startReceiver();
  const apps: AppProcess[] = [];
  try {
    const slot = new Date(Math.ceil(Date.now() / 1000) * 1000 + o.leadSeconds * 1000);
    const cron = `${slot.getUTCSeconds()} ${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
    await withClient(db.url, (c) =>
      seedJobs(c, o.jobs, {
        cron: `'${cron}'`,
        nextRunAt: `'${slot.toISOString()}'::timestamptz`,
        target: o.target === 'http' ? httpTargetSql(receiver.url) : undefined,
      }),
    );
    for (let r = 0; r < o.replicas; r++) {
      apps.push(await startApp(db.url, { REPLICA_ID: `bench-${r}` }));
    }
    await Promise.all(apps.map((a) => waitReady(a)));
    if (Date.now() > slot.getTime() - 1000) {
      throw new Error(
        `apps were ready too late for the slot: raise --lead (now ${o.leadSeconds} s)`,
      );
    }
    await sleep(slot.getTime() - Date.now());
    return await withClient(db.url, async (c) => {
      const count = async (completed = false): Promise<number> =>
        (
          await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${BURST_ROWS}
             ${completed ? "AND status = 'completed'" : ''}`,
            [slot],
          )
        ).rows[0].n;
      await pollUntil(
        'all execution rows',
        async () => (await count()) >= o.jobs,
        120_000,
        POLL_MS,
      );
      const rowsMs = Date.now() - slot.getTime();
      if (o.target === 'http') {
        await pollUntil(
          'all target calls',
          () => Promise.resolve(receiver.calls >= o.jobs),
          120_000,
          5,
        );
      } else {
        // The in-process handler: drained once every run is recorded as completed.
        await pollUntil(
          'all runs completed',
          async () => (await count(true)) >= o.jobs,
          120_000,
          POLL_MS,
        );
      }
      const drainMs = Math.max(rowsMs, Date.now() - slot.getTime());
      // When the claims ran (started_at is the claim transaction's now()) and the last run was
      // recorded complete, relative to the slot: where the drain's time went.
      const spread = await c.query<{ first: number; last: number; completed: number | null }>(
        `SELECT extract(epoch FROM min(started_at) - $1::timestamptz) * 1000 AS first,
                extract(epoch FROM max(started_at) - $1::timestamptz) * 1000 AS last,
                extract(epoch FROM max(completed_at) - $1::timestamptz) * 1000 AS completed
         FROM ${BURST_ROWS}`,
        [slot],
      );
      const doubled = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT job_id FROM ${BURST_ROWS}
           GROUP BY job_id HAVING count(*) > 1) d`,
        [slot],
      );
      return {
        rowsMs,
        rowsPerSec: (o.jobs / rowsMs) * 1000,
        drainMs,
        firingsPerSec: (o.jobs / drainMs) * 1000,
        doubled: doubled.rows[0].n,
        firstClaimMs: Number(spread.rows[0].first),
        lastClaimMs: Number(spread.rows[0].last),
        lastCompletedMs: Number(spread.rows[0].completed ?? Number.NaN),
        targetCalls: o.target === 'http' ? receiver.calls : Number.NaN,
      };
    });
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await receiver.close();
    await db.drop();
  }
}

/** One replica's burst of `jobs` same-second slots, with the lead time `burst` and `peers` use. */
export function singleReplicaBurst(
  jobs: number,
  quick: boolean,
  target: 'http' | 'log',
): Promise<Figures> {
  return measureEngineBurst({ jobs, replicas: 1, leadSeconds: quick ? 10 : 20, target });
}

/**
 * The engine's burst drain as `peers` contenders, or [] while the engine is not built: with the
 * in-process `log` handler (what the peers run: a no-op in the worker) and with an http target.
 */
export function engineBurstContenders(jobs: number, quick: boolean): Contender[] {
  if (!engineAvailable()) {
    console.warn('engine not built (dist/src/scheduler/scheduler.module.js): ours left out');
    return [];
  }
  const label = process.env.BENCH_APP_MAIN
    ? `ours (${process.env.BENCH_APP_MAIN})`
    : 'scheduler (ours)';
  return (['log', 'http'] as const).map((target) => ({
    name: `${label}, ${target === 'log' ? 'log handler' : 'http target'}`,
    run: async () => {
      const f = await singleReplicaBurst(jobs, quick, target);
      return {
        enqueueMs: Number.NaN,
        drainMs: f.drainMs,
        settledMs: f.drainMs,
        drainJobsPerSec: f.firingsPerSec,
        endToEndJobsPerSec: Number.NaN,
      };
    },
  }));
}

/**
 * The http floor of a burst: N calls by the service's HttpClient alone (a child process, as the
 * app is) to the same kind of receiver, no scheduler, no database. The engine's http burst can
 * not beat this on the same machine.
 */
export async function measureHttpFloor(calls: number): Promise<Figures> {
  const receiver = await startReceiver();
  const script = resolve(dirname(fileURLToPath(import.meta.url)), 'http-floor-client.js');
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const reply = new Promise<{ ms: number }>((res, rej) => {
      child.once('message', (m) => res(m as { ms: number }));
      child.once('exit', (code) => rej(new Error(`http floor client exited with ${code}`)));
    });
    child.send({ url: receiver.url, calls });
    const { ms } = await reply;
    if (receiver.calls < calls) {
      throw new Error(`receiver got ${receiver.calls} of ${calls} calls`);
    }
    return {
      drainMs: ms,
      rowsMs: Number.NaN,
      rowsPerSec: Number.NaN,
      firingsPerSec: (calls / ms) * 1000,
    };
  } finally {
    child.kill();
    await receiver.close();
  }
}
