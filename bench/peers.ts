import pg from 'pg';
import PgBoss from 'pg-boss';
import { Logger, makeWorkerUtils, run, runMigrations } from 'graphile-worker';
import { type Contender, type Figures, ratio, runInterleaved } from './lib/ab.js';
import { intOption, main, parseOptions, pollUntil } from './lib/cli.js';
import { createScratchDatabase, withClient } from './lib/db.js';
import { engineBurstContenders } from './lib/engine-burst.js';
import { machineFacts, writeResult } from './lib/results.js';
import { since } from './lib/stats.js';
import { printTable } from './lib/table.js';

/**
 * peers: graphile-worker and pg-boss draining N due no-op jobs at concurrency 10, each in its
 * own scratch database on the same PostgreSQL, interleaved run by run. Enqueue is timed apart
 * (one job per call, 10 calls in flight, as an application adds jobs) so that "drain" (from
 * starting the workers on a queue already holding all N due jobs until the handler ran N times)
 * and "end to end" (enqueue + drain) are both known. Our side is the `burst` drain.
 */
const CONCURRENCY = 10;
const silent = new Logger(() => () => undefined);

/** Runs `add(i)` for i in 0..n-1 with `inFlight` calls outstanding at a time. */
async function enqueueAll(n: number, inFlight: number, add: (i: number) => Promise<unknown>) {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) {
      await add(next++);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

function figures(n: number, enqueueMs: number, drainMs: number, settledMs: number): Figures {
  return {
    enqueueMs,
    drainMs,
    settledMs,
    drainJobsPerSec: (n / drainMs) * 1000,
    endToEndJobsPerSec: (n / (enqueueMs + drainMs)) * 1000,
  };
}

/** `localQueue` > 0 turns on graphile-worker's documented batch fetching (performance docs). */
function graphileWorker(n: number, localQueue: number): Contender {
  return {
    name:
      localQueue > 0 ? `graphile-worker 0.17.3 localQueue ${localQueue}` : 'graphile-worker 0.17.3',
    run: async () => {
      const db = await createScratchDatabase('gw', { migrate: false });
      // Our own pool, ended before the drop: the runner's stop() does not wait for its pool.
      const pgPool = new pg.Pool({ connectionString: db.url, max: CONCURRENCY + 2 });
      pgPool.on('error', () => undefined);
      pgPool.on('connect', (client) => client.on('error', () => undefined));
      try {
        await runMigrations({ pgPool, logger: silent });
        const utils = await makeWorkerUtils({ pgPool, logger: silent });
        let enqueueMs: number;
        try {
          const t0 = performance.now();
          await enqueueAll(n, CONCURRENCY, (i) => utils.addJob('noop', { i }));
          enqueueMs = since(t0);
        } finally {
          await utils.release();
        }
        let handled = 0;
        let drainMs = 0;
        const t1 = performance.now();
        const runner = await run({
          pgPool,
          concurrency: CONCURRENCY,
          noHandleSignals: true,
          logger: silent,
          preset: localQueue > 0 ? { worker: { localQueue: { size: localQueue } } } : undefined,
          taskList: {
            noop: () => {
              if (++handled === n) {
                drainMs = since(t1);
              }
              return Promise.resolve();
            },
          },
        });
        try {
          await withClient(db.url, (c) =>
            pollUntil(
              'graphile-worker to complete every job',
              async () =>
                (await c.query('SELECT count(*)::int AS n FROM graphile_worker.jobs')).rows[0].n ===
                  0 && handled >= n,
              300_000,
            ),
          );
          return figures(n, enqueueMs, drainMs, since(t1));
        } finally {
          await runner.stop();
        }
      } finally {
        await pgPool.end();
        await db.drop();
      }
    },
  };
}

function pgBoss(n: number, batchSize: number): Contender {
  return {
    name: `pg-boss 10.4.2 batchSize ${batchSize}`,
    run: async () => {
      const db = await createScratchDatabase('pgboss', { migrate: false });
      const boss = new PgBoss({ connectionString: db.url, max: CONCURRENCY + 2, supervise: false });
      let stopping = false;
      boss.on('error', (e: Error) => {
        if (!stopping) {
          console.error(`pg-boss: ${e.message}`);
        }
      });
      try {
        await boss.start();
        await boss.createQueue('noop');
        const t0 = performance.now();
        await enqueueAll(n, CONCURRENCY, (i) => boss.send('noop', { i }));
        const enqueueMs = since(t0);
        let handled = 0;
        let drainMs = 0;
        const t1 = performance.now();
        // pg-boss 10 has no per-worker concurrency: each work() call is one polling worker, and it
        // sleeps pollingInterval after every fetch, found work or not. 10 workers, minimum interval.
        for (let w = 0; w < CONCURRENCY; w++) {
          await boss.work('noop', { batchSize, pollingIntervalSeconds: 0.5 }, (jobs) => {
            handled += jobs.length;
            if (handled >= n && drainMs === 0) {
              drainMs = since(t1);
            }
            return Promise.resolve();
          });
        }
        await withClient(db.url, (c) =>
          pollUntil(
            'pg-boss to complete every job',
            async () =>
              (
                await c.query(
                  `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'noop' AND state <> 'completed'`,
                )
              ).rows[0].n === 0 && handled >= n,
            300_000,
          ),
        );
        return figures(n, enqueueMs, drainMs, since(t1));
      } finally {
        stopping = true;
        await boss.stop({ graceful: false, wait: true, close: true });
        await db.drop();
      }
    },
  };
}

main(async () => {
  const opts = parseOptions({
    jobs: { type: 'string' },
    'pgboss-batch': { type: 'string' },
    'gw-local-queue': { type: 'string' },
  });
  const n = intOption(opts.values.jobs, opts.quick ? 1000 : 10_000);
  const batch = intOption(opts.values['pgboss-batch'], 100);
  const localQueue = intOption(opts.values['gw-local-queue'], 100);
  const contenders = [graphileWorker(n, 0), graphileWorker(n, localQueue), pgBoss(n, batch)];
  // Our burst drain joins as the first contender as soon as the engine is built.
  const ours = engineBurstContenders(n, opts.quick);
  contenders.unshift(...ours);
  const machine = await machineFacts();
  const result = await runInterleaved(contenders, opts.runs, (name, i, f) =>
    console.log(`run ${i + 1} ${name}: drain ${Math.round(f.drainMs)} ms`),
  );
  const rows = contenders.map((c) => {
    const s = result.summary[c.name];
    return [
      c.name,
      s.enqueueMs.median,
      s.drainMs.median,
      s.drainMs.min,
      s.drainMs.max,
      s.drainJobsPerSec.median,
      s.endToEndJobsPerSec.median,
    ];
  });
  printTable(
    `peers: ${n} due no-op jobs, concurrency ${CONCURRENCY}, median of ${opts.runs}`,
    ['contender', 'enqueue ms', 'drain ms', 'min', 'max', 'drain jobs/s', 'e2e jobs/s'],
    rows,
  );
  // Each peer's drain time over each of ours: >= 2 is the target. Ours ends when every run is
  // recorded (its drain is its settled time); a peer's drain ends when its handler ran N times,
  // before its last completions are written, so "settled" (all N recorded complete in the
  // library's table) is the like-for-like ratio and "drain" the one that favours the peers.
  const peers = contenders.slice(ours.length).map((c) => c.name);
  const ratios = ours.flatMap((a) =>
    peers.map((b) => ({
      a: a.name,
      b,
      drainMs: ratio(result, b, a.name, 'drainMs'),
      settledMs: ratio(result, b, a.name, 'settledMs'),
    })),
  );
  for (const r of ratios) {
    console.log(
      `${r.b} / ${r.a}: drain ${r.drainMs.median.toFixed(2)}x, settled ${r.settledMs.median.toFixed(2)}x (medians)`,
    );
  }
  const file = writeResult('peers', opts.quick, {
    machine,
    options: {
      jobs: n,
      concurrency: CONCURRENCY,
      graphileLocalQueue: localQueue,
      pgbossBatchSize: batch,
      pgbossPollingIntervalSeconds: 0.5,
      runs: opts.runs,
    },
    ...result,
    ratios,
  });
  console.log(`\nwritten ${file}`);
});
