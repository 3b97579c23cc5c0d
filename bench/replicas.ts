import { type Figures, runInterleaved } from './lib/ab.js';
import { engineAvailable } from './lib/app-process.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { measureEngineBurst } from './lib/engine-burst.js';
import { measureFiring } from './lib/firing-run.js';
import { machineFacts, writeResult } from './lib/results.js';
import { printTable } from './lib/table.js';

/**
 * replicas: the burst and firing benchmarks with 1, 2 and 3 replicas (child processes) on one
 * database, interleaved by replica count: duplicates must be 0; burst throughput shows scaling.
 */
main(async () => {
  const opts = parseOptions({
    replicas: { type: 'string' },
    'burst-jobs': { type: 'string' },
    'firing-jobs': { type: 'string' },
    rate: { type: 'string' },
    window: { type: 'string' },
  });
  if (!engineAvailable()) {
    throw new Error(
      'the scheduler engine is not built yet (dist/src/scheduler/scheduler.module.js)',
    );
  }
  const counts = String(opts.values.replicas ?? '1,2,3')
    .split(',')
    .map((r) => intOption(r, 0));
  const burstJobs = intOption(opts.values['burst-jobs'], opts.quick ? 1000 : 10_000);
  const firingJobs = intOption(opts.values['firing-jobs'], opts.quick ? 1000 : 10_000);
  const rate = intOption(opts.values.rate, opts.quick ? 16 : 166);
  const windowSeconds = intOption(opts.values.window, opts.quick ? 10 : 60);
  const machine = await machineFacts();
  const contenders = counts.flatMap((replicas) => [
    {
      name: `burst ${burstJobs}, ${replicas} replicas`,
      run: (): Promise<Figures> =>
        measureEngineBurst({
          jobs: burstJobs,
          replicas,
          leadSeconds: opts.quick ? 15 : 25,
          target: 'http',
        }),
    },
    {
      name: `firing ${firingJobs}, ${replicas} replicas`,
      run: (): Promise<Figures> =>
        measureFiring(
          {
            jobs: firingJobs,
            rate,
            windowSeconds,
            warmupSeconds: opts.quick ? 3 : 5,
            target: 'http',
            replicas,
          },
          null,
        ),
    },
  ]);
  const result = await runInterleaved(contenders, opts.runs, (name, i, f) =>
    console.log(`run ${i + 1} ${name}: doubled ${f.doubled}`),
  );
  printTable(
    `replicas: burst drain and firing with 1..3 replicas on one database, median of ${opts.runs}`,
    ['case', 'burst drain ms', 'firings/s', 'lag p99 ms', 'missed', 'doubled'],
    contenders.map((c) => {
      const f = result.summary[c.name];
      return [
        c.name,
        f.drainMs?.median,
        f.firingsPerSec?.median,
        f.lagP99Ms?.median,
        f.missed?.max,
        f.doubled.max,
      ];
    }),
  );
  const file = writeResult('replicas', opts.quick, {
    machine,
    options: { counts, burstJobs, firingJobs, rate, windowSeconds, runs: opts.runs },
    ...result,
  });
  console.log(`\nwritten ${file}`);
});
