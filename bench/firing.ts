import { type Figures, ratio, runInterleaved } from './lib/ab.js';
import { engineAvailable } from './lib/app-process.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { baselineMemory, measureFiring } from './lib/firing-run.js';
import { machineFacts, writeResult } from './lib/results.js';
import { printTable } from './lib/table.js';

/**
 * firing: N active jobs on one replica (the real app as a child process, `node dist/src/main.js`),
 * `rate` of them due each second (6-field crons S * * * * *), an http target served here (a no-op
 * 200) or the built-in `log` handler. Start-up to ready, heap and RSS per registered job, lag
 * p50/p99/max over the window, missed / doubled slots (both must be 0), event-loop utilisation.
 * `--compare <path/to/other/dist/src/main.js>` runs every case on that build too, interleaved,
 * and prints this build's figures over the other's (a regression check across a change).
 */
main(async () => {
  const opts = parseOptions({
    jobs: { type: 'string' },
    rate: { type: 'string' },
    window: { type: 'string' },
    target: { type: 'string' },
    compare: { type: 'string' },
  });
  if (!engineAvailable()) {
    throw new Error(
      'the scheduler engine is not built yet (dist/src/scheduler/scheduler.module.js)',
    );
  }
  const sizes = String(opts.values.jobs ?? (opts.quick ? '1000' : '1000,10000,100000'))
    .split(',')
    .map((j) => intOption(j, 0));
  const rate = intOption(opts.values.rate, 1000);
  const windowSeconds = intOption(opts.values.window, opts.quick ? 10 : 60);
  const targets = String(opts.values.target ?? (opts.quick ? 'http' : 'http,log')).split(',') as (
    'http' | 'log'
  )[];
  const machine = await machineFacts();
  const base = await baselineMemory();
  console.log(
    `baseline: heap ${(base.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(base.rss / 2 ** 20).toFixed(1)} MiB`,
  );
  // --compare <main.js of another build>: every case runs on both builds, interleaved (A B A B).
  const builds: { label: string; main?: string }[] = [{ label: '' }];
  if (typeof opts.values.compare === 'string') {
    builds.push({ label: ' [compare]', main: opts.values.compare });
  }
  const cases = sizes.flatMap((jobs) =>
    targets.flatMap((target) => builds.map((b) => ({ jobs, target, ...b }))),
  );
  const caseName = (k: (typeof cases)[number]): string => `${k.jobs} jobs, ${k.target}${k.label}`;
  const result = await runInterleaved(
    cases.map((k) => ({
      name: caseName(k),
      run: (): Promise<Figures> =>
        measureFiring(
          {
            jobs: k.jobs,
            rate,
            windowSeconds,
            warmupSeconds: opts.quick ? 3 : 5,
            target: k.target,
            replicas: 1,
            main: k.main,
          },
          base,
        ),
    })),
    opts.runs,
    (name, i, f) =>
      console.log(
        `run ${i + 1} ${name}: p99 lag ${f.lagP99Ms} ms, missed ${f.missed}, doubled ${f.doubled}`,
      ),
  );
  printTable(
    `firing: ${rate} firings/s at most, ${windowSeconds} s window, median of ${opts.runs}`,
    [
      'case',
      'ready ms',
      'heap B/job',
      'RSS MiB',
      'lag p50',
      'lag p99',
      'lag max',
      'missed',
      'doubled',
      'ELU',
    ],
    cases.map((k) => {
      const f = result.summary[caseName(k)];
      return [
        `${caseName(k)} (${f.firingJobs.median} firing)`,
        f.readyMs.median,
        f.heapPerJobBytes.median,
        f.rssMiB.median,
        f.lagP50Ms.median,
        f.lagP99Ms.median,
        f.lagMaxMs.max,
        f.missed.max,
        f.doubled.max,
        f.eventLoopUtilization.median,
      ];
    }),
  );
  const ratios: Record<string, Record<string, number>> = {};
  if (builds.length > 1) {
    for (const jobs of sizes) {
      for (const target of targets) {
        const here = `${jobs} jobs, ${target}`;
        const there = `${here} [compare]`;
        ratios[here] = Object.fromEntries(
          ['readyMs', 'heapPerJobBytes', 'lagP50Ms', 'lagP99Ms', 'eventLoopUtilization'].map(
            (m) => [m, ratio(result, here, there, m).median],
          ),
        );
        console.log(`${here}: this build / compare (median of run-by-run ratios)`, ratios[here]);
      }
    }
  }
  const file = writeResult('firing', opts.quick, {
    machine,
    options: { sizes, rate, windowSeconds, targets, runs: opts.runs, compare: opts.values.compare },
    baseline: base,
    ratios,
    ...result,
  });
  console.log(`\nwritten ${file}`);
});
