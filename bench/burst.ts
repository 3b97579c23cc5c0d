import { type Contender, type InterleavedResult, ratio, runInterleaved } from './lib/ab.js';
import { engineAvailable } from './lib/app-process.js';
import {
  CLIENTS,
  makeLean,
  nodeContender,
  pgbenchContender,
  type Setup,
} from './lib/claim-contenders.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { createScratchDatabase, type ScratchDatabase, withClient } from './lib/db.js';
import { measureHttpFloor, singleReplicaBurst } from './lib/engine-burst.js';
import { machineFacts, writeResult } from './lib/results.js';
import { jobId, seedJobs } from './lib/seed.js';
import { type OverRuns } from './lib/stats.js';
import { printTable } from './lib/table.js';

/**
 * burst: the database's ceiling for the engine's claim-and-insert statement, measured by pgbench
 * and from Node with a pg pool of 10, one and 100 / 1,000 firings per statement, interleaved run
 * by run on one scratch database (and, with --lean, on a second one whose jobs table has no GIN
 * indexes or definition triggers); once the engine is built, the engine's own drain of N
 * same-second firings beside them.
 */
interface BurstOptions {
  jobs: number;
  perClient: number;
  seconds: number;
  burstJobs: number;
  withEngine: boolean;
  lean: boolean;
  engineOnly: boolean;
  runs: number;
  quick: boolean;
}

function readOptions(): BurstOptions {
  const opts = parseOptions({
    jobs: { type: 'string' },
    seconds: { type: 'string' },
    'burst-jobs': { type: 'string' },
    engine: { type: 'boolean' },
    lean: { type: 'boolean', default: false },
    'engine-only': { type: 'boolean', default: false },
  });
  const jobs = intOption(opts.values.jobs, opts.quick ? 20_000 : 100_000);
  const perClient = jobs / CLIENTS;
  if (!Number.isInteger(perClient) || perClient % 1000 !== 0) {
    throw new Error(`--jobs must be a multiple of ${CLIENTS * 1000}`);
  }
  return {
    jobs,
    perClient,
    seconds: intOption(opts.values.seconds, opts.quick ? 3 : 10),
    burstJobs: intOption(opts.values['burst-jobs'], 10_000),
    withEngine: (opts.values.engine as boolean | undefined) ?? engineAvailable(),
    lean: opts.values.lean === true,
    engineOnly: opts.values['engine-only'] === true,
    runs: opts.runs,
    quick: opts.quick,
  };
}

/** The engine's burst with an http target and with the in-process `log` handler, and the http floor. */
function engineContenders(jobs: number, quick: boolean): Contender[] {
  const engine = (target: 'http' | 'log'): Contender => ({
    name: `engine burst ${jobs}${target === 'log' ? ' (log handler)' : ''}`,
    run: async () => {
      const f = await singleReplicaBurst(jobs, quick, target);
      // The engine's own figures: drain from the slot, rows and calls, doubled slots.
      return { ...f, statementMs: Number.NaN, casSucceeded: Number.NaN };
    },
  });
  const floor: Contender = {
    name: `http floor ${jobs} calls`,
    run: async () => ({
      ...(await measureHttpFloor(jobs)),
      statementMs: Number.NaN,
      casSucceeded: Number.NaN,
    }),
  };
  return [engine('http'), engine('log'), floor];
}

/** Seeds each database and lists the contenders: pgbench and Node per batch size, then ours. */
async function prepare(dbs: ScratchDatabase[], o: BurstOptions): Promise<Contender[]> {
  const base = Math.floor(Date.now() / 1000);
  const ids = Array.from({ length: o.jobs }, (_, k) => jobId(k + 1));
  const contenders: Contender[] = [];
  if (o.engineOnly) {
    return engineContenders(o.burstJobs, o.quick);
  }
  for (const [k, db] of dbs.entries()) {
    await withClient(db.url, (c) => seedJobs(c, o.jobs));
    if (k === 1) {
      await makeLean(db.url);
    }
    const label = k === 1 ? ' (lean jobs)' : '';
    const s: Setup = {
      label,
      url: db.url,
      jobs: o.jobs,
      perClient: o.perClient,
      base,
      seconds: o.seconds,
    };
    for (const batch of [1, 100, 1000]) {
      contenders.push(pgbenchContender(s, batch), nodeContender(s, batch, ids));
    }
  }
  if (o.withEngine) {
    contenders.push(...engineContenders(o.burstJobs, o.quick));
  }
  return contenders;
}

function ratiosOf(result: InterleavedResult, o: BurstOptions): ({ what: string } & OverRuns)[] {
  const of = (
    what: string,
    a: string,
    b: string,
    metric = 'firingsPerSec',
  ): { what: string } & OverRuns => ({ what, ...ratio(result, a, b, metric) });
  const ratios: ({ what: string } & OverRuns)[] = [];
  const engine = `engine burst ${o.burstJobs}`;
  if (o.withEngine) {
    ratios.push(
      of(
        'engine http drain / http floor (time)',
        engine,
        `http floor ${o.burstJobs} calls`,
        'drainMs',
      ),
      of(
        'engine log handler drain / http engine drain (time)',
        `${engine} (log handler)`,
        engine,
        'drainMs',
      ),
    );
  }
  if (o.engineOnly) {
    return ratios;
  }
  for (const b of [1, 100, 1000]) {
    const tag = b === 1 ? 'single' : `batch ${b}`;
    ratios.push(of(`node/pgbench ${tag}`, `node pool ${CLIENTS} ${tag}`, `pgbench ${tag}`));
  }
  if (o.withEngine) {
    ratios.push(
      of('engine rows/s / pgbench batch 1000', engine, 'pgbench batch 1000', 'rowsPerSec'),
      of(
        'engine (log) rows/s / pgbench batch 1000',
        `${engine} (log handler)`,
        'pgbench batch 1000',
        'rowsPerSec',
      ),
    );
  }
  if (o.lean) {
    ratios.push(
      of(
        'lean/as-migrated pgbench batch 1000',
        'pgbench batch 1000 (lean jobs)',
        'pgbench batch 1000',
      ),
    );
  }
  return ratios;
}

function report(result: InterleavedResult, contenders: Contender[], o: BurstOptions): void {
  printTable(
    `burst: claim-and-insert ceiling, ${o.jobs} jobs, ${CLIENTS} clients, ${o.seconds} s each, median of ${o.runs}`,
    ['contender', 'firings/s', 'min', 'max', 'ms/statement', 'CAS ok'],
    contenders.map((c) => {
      const f = result.summary[c.name];
      const cells = [f.firingsPerSec.median, f.firingsPerSec.min, f.firingsPerSec.max];
      return [c.name, ...cells, f.statementMs.median, f.casSucceeded.median];
    }),
  );
  if (!o.withEngine) {
    console.log('\nengine not built: the engine burst (N same-second firings) is pending');
  }
}

main(async () => {
  const o = readOptions();
  const machine = await machineFacts();
  const dbs = o.engineOnly ? [] : [await createScratchDatabase('burst')];
  if (o.lean) {
    dbs.push(await createScratchDatabase('burst_lean'));
  }
  try {
    const contenders = await prepare(dbs, o);
    const result = await runInterleaved(contenders, o.runs, (name, i, f) =>
      console.log(`run ${i + 1} ${name}: ${Math.round(f.firingsPerSec)} firings/s`),
    );
    report(result, contenders, o);
    const ratios = ratiosOf(result, o);
    for (const r of ratios) {
      console.log(
        `${r.what}: ${r.median.toFixed(2)} (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})`,
      );
    }
    const name = o.engineOnly ? 'burst-engine' : o.lean ? 'burst-lean' : 'burst';
    const file = writeResult(name, o.quick, {
      machine,
      options: { ...o, clients: CLIENTS },
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
