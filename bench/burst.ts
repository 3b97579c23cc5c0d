import { readFileSync } from 'node:fs';
import pg from 'pg';
import { type Contender, ratio, runInterleaved } from './lib/ab.js';
import { engineAvailable } from './lib/app-process.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { createScratchDatabase, withClient } from './lib/db.js';
import { measureEngineBurst } from './lib/engine-burst.js';
import { pgbench, sqlFile } from './lib/pgbench.js';
import { machineFacts, writeResult } from './lib/results.js';
import { jobId, seedJobs } from './lib/seed.js';
import { printTable } from './lib/table.js';

/**
 * burst: the database's ceiling for the engine's claim-and-insert statement, measured by pgbench
 * (bench/sql/claim-*.sql) and from Node with a pg pool of 10 (bench/sql/claim-*.node.sql), one
 * and 100 / 1,000 firings per statement, interleaved run by run on one scratch database; and,
 * once the engine is built, the engine's own drain of N same-second firings beside them.
 */
const CLIENTS = 10;

interface Setup {
  /** '' for the schema as migrated, ' (lean jobs)' for the diagnostic variant. */
  label: string;
  url: string;
  jobs: number;
  perClient: number;
  base: number;
  seconds: number;
}

/** Puts every job back on slot `base` and empties the history, so each measurement starts alike. */
async function reset(s: Setup): Promise<void> {
  await withClient(s.url, async (c) => {
    await c.query('TRUNCATE job_executions');
    await c.query('UPDATE jobs SET next_run_at = to_timestamp($1), last_run_at = NULL', [s.base]);
    await c.query('VACUUM ANALYZE jobs');
  });
}

/**
 * The diagnostic variant of --lean: the same jobs without the three GIN indexes and the two
 * definition triggers, i.e. what the claim would cost on a narrow scheduling table.
 */
async function makeLean(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('DROP INDEX ix_jobs_name_trgm, ix_jobs_description_trgm, ix_jobs_tags');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_updated_at');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_notify');
  });
}

async function countRows(url: string): Promise<number> {
  return withClient(
    url,
    async (c) => (await c.query('SELECT count(*)::int AS n FROM job_executions')).rows[0].n,
  );
}

function pgbenchContender(s: Setup, batch: number): Contender {
  const script = sqlFile(batch === 1 ? 'claim-single.sql' : 'claim-batch.sql');
  return {
    name: `pgbench ${batch === 1 ? 'single' : `batch ${batch}`}${s.label}`,
    run: async () => {
      await reset(s);
      const r = await pgbench(s.url, script, {
        clients: CLIENTS,
        seconds: s.seconds,
        vars: { per_client: s.perClient, base: s.base, i: 0, batch },
      });
      const rows = await countRows(s.url);
      return {
        firingsPerSec: r.tps * batch,
        statementMs: r.latencyMs,
        casSucceeded: rows / (r.transactions * batch),
      };
    },
  };
}

function nodeContender(s: Setup, batch: number, ids: string[]): Contender {
  const sql = readFileSync(
    sqlFile(batch === 1 ? 'claim-single.node.sql' : 'claim-batch.node.sql'),
    'utf8',
  );
  return {
    name: `node pool ${CLIENTS} ${batch === 1 ? 'single' : `batch ${batch}`}${s.label}`,
    run: async () => {
      await reset(s);
      const pool = new pg.Pool({ connectionString: s.url, max: CLIENTS });
      let statements = 0;
      try {
        const end = performance.now() + s.seconds * 1000;
        const started = performance.now();
        const lane = async (client: number): Promise<void> => {
          for (let i = 0; performance.now() < end; i++) {
            const j0 = (i * batch) % s.perClient;
            const slot = new Date(
              (s.base + Math.floor((i * batch) / s.perClient)) * 1000,
            ).toISOString();
            const first = client * s.perClient + j0;
            const params: unknown[] =
              batch === 1
                ? [ids[first], slot]
                : [ids.slice(first, first + batch), new Array<string>(batch).fill(slot)];
            await pool.query(sql, params);
            statements++;
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, (_, c) => lane(c)));
        const elapsed = performance.now() - started;
        const rows = await countRows(s.url);
        return {
          firingsPerSec: (rows / elapsed) * 1000,
          statementMs: (elapsed * CLIENTS) / statements,
          casSucceeded: rows / (statements * batch),
        };
      } finally {
        await pool.end();
      }
    },
  };
}

function engineContender(jobs: number, quick: boolean): Contender {
  return {
    name: `engine burst ${jobs}`,
    run: async () => {
      const f = await measureEngineBurst({
        jobs,
        replicas: 1,
        leadSeconds: quick ? 10 : 20,
        target: 'http',
      });
      // The engine's own figures: drain from the slot, rows and calls, doubled slots.
      return { ...f, statementMs: Number.NaN, casSucceeded: Number.NaN };
    },
  };
}

main(async () => {
  const opts = parseOptions({
    jobs: { type: 'string' },
    seconds: { type: 'string' },
    'burst-jobs': { type: 'string' },
    engine: { type: 'boolean' },
    lean: { type: 'boolean', default: false },
  });
  const jobs = intOption(opts.values.jobs, opts.quick ? 20_000 : 100_000);
  const seconds = intOption(opts.values.seconds, opts.quick ? 3 : 10);
  const perClient = jobs / CLIENTS;
  if (!Number.isInteger(perClient) || perClient % 1000 !== 0) {
    throw new Error(`--jobs must be a multiple of ${CLIENTS * 1000}`);
  }
  const withEngine = (opts.values.engine as boolean | undefined) ?? engineAvailable();
  const machine = await machineFacts();
  const lean = opts.values.lean === true;
  const dbs = [await createScratchDatabase('burst')];
  if (lean) {
    dbs.push(await createScratchDatabase('burst_lean'));
  }
  try {
    const base = Math.floor(Date.now() / 1000);
    const ids = Array.from({ length: jobs }, (_, k) => jobId(k + 1));
    const contenders: Contender[] = [];
    for (const [k, db] of dbs.entries()) {
      await withClient(db.url, (c) => seedJobs(c, jobs));
      if (k === 1) {
        await makeLean(db.url);
      }
      const s: Setup = {
        label: k === 1 ? ' (lean jobs)' : '',
        url: db.url,
        jobs,
        perClient,
        base,
        seconds,
      };
      for (const batch of [1, 100, 1000]) {
        contenders.push(pgbenchContender(s, batch), nodeContender(s, batch, ids));
      }
    }
    const burstJobs = intOption(opts.values['burst-jobs'], 10_000);
    if (withEngine) {
      contenders.push(engineContender(burstJobs, opts.quick));
    }
    const result = await runInterleaved(contenders, opts.runs, (name, i, f) =>
      console.log(`run ${i + 1} ${name}: ${Math.round(f.firingsPerSec)} firings/s`),
    );
    printTable(
      `burst: claim-and-insert ceiling, ${jobs} jobs, ${CLIENTS} clients, ${seconds} s each, median of ${opts.runs}`,
      ['contender', 'firings/s', 'min', 'max', 'ms/statement', 'CAS ok'],
      contenders.map((c) => {
        const f = result.summary[c.name];
        return [
          c.name,
          f.firingsPerSec.median,
          f.firingsPerSec.min,
          f.firingsPerSec.max,
          f.statementMs.median,
          f.casSucceeded.median,
        ];
      }),
    );
    const ratios = [1, 100, 1000].map((b) => {
      const tag = b === 1 ? 'single' : `batch ${b}`;
      return {
        what: `node/pgbench ${tag}`,
        ...ratio(result, `node pool ${CLIENTS} ${tag}`, `pgbench ${tag}`, 'firingsPerSec'),
      };
    });
    if (withEngine) {
      ratios.push({
        what: 'engine/pgbench batch 1000',
        ...ratio(result, `engine burst ${burstJobs}`, 'pgbench batch 1000', 'firingsPerSec'),
      });
    } else {
      console.log('\nengine not built: the engine burst (N same-second firings) is pending');
    }
    if (lean) {
      ratios.push({
        what: 'lean/as-migrated pgbench batch 1000',
        ...ratio(result, 'pgbench batch 1000 (lean jobs)', 'pgbench batch 1000', 'firingsPerSec'),
      });
    }
    for (const r of ratios) {
      console.log(
        `${r.what}: ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})`,
      );
    }
    const file = writeResult(lean ? 'burst-lean' : 'burst', {
      machine,
      options: {
        jobs,
        clients: CLIENTS,
        seconds,
        runs: opts.runs,
        engine: withEngine,
        burstJobs,
        lean,
      },
      ...result,
      ratios,
    });
    console.log(`\nwritten ${file}`);
  } finally {
    for (const db of dbs) {
      await db.drop();
    }
  }
});
