import { Cron } from 'croner';
import { CronTime } from 'cron';
import { nextCronFire } from '../src/jobs/schedule/schedule.js';
import { ratio, runInterleaved, type Figures } from './lib/ab.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { cronMix, MIX_ZONES } from './lib/cron-mix.js';
import { machineFacts, writeResult } from './lib/results.js';
import { percentile } from './lib/stats.js';
import { printTable } from './lib/table.js';

/**
 * next-slot: the cost of the next slot from a previous slot, the call the claim path and the
 * reconciler make for every firing and every verified job. 100,000 jobs spread over 1,200
 * distinct expressions and 50 zones, each asked from one of its own slots in 2026-27 (so DST
 * days come up as often as they do in life). Each call is timed alone (hrtime); medians of
 * interleaved rounds of three contenders: ours (cron.ts over the zone's transitions), croner 11's
 * own nextRun (a Cron object per job, built beforehand, on the first 20,000 jobs: 100,000 of them
 * do not fit the heap) and `cron` 4 (the previous engine, on the first 5,000 jobs: it takes about
 * a millisecond a call).
 */

/** Asks timed for the other engines: their objects (one per job, as they keep them) take memory. */
const CRONER_ASKS = 20_000;
const LEGACY_ASKS = 5000;

interface Ask {
  expression: string;
  zone: string;
  from: Date;
}

function asks(count: number): Ask[] {
  const exprs = cronMix();
  const out: Ask[] = [];
  let seed = 42;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) {
    const expression = exprs[i % exprs.length];
    const zone = MIX_ZONES[Math.floor(i / exprs.length + i) % MIX_ZONES.length];
    const start = new Date(Date.UTC(2026, 0, 1) + rand() * 2 * 365 * 86_400_000);
    // Start from a slot of the job's own, as the claim path does.
    out.push({ expression, zone, from: nextCronFire(expression, zone, start) });
  }
  return out;
}

function timeEach(list: Ask[], next: (a: Ask, i: number) => unknown): Figures {
  const ns = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const t0 = process.hrtime.bigint();
    next(list[i], i);
    ns[i] = Number(process.hrtime.bigint() - t0);
  }
  const all = Array.from(ns);
  const us = (p: number): number => Math.round(percentile(all, p) / 10) / 100;
  return {
    p50Us: us(50),
    p99Us: us(99),
    maxUs: us(100),
    totalMs: all.reduce((a, b) => a + b, 0) / 1e6,
  };
}

main(async () => {
  const opts = parseOptions({ jobs: { type: 'string' } });
  const count = intOption(opts.values.jobs, opts.quick ? 10_000 : 100_000);
  const list = asks(count);
  const croners = list
    .slice(0, CRONER_ASKS)
    .map((a) => new Cron(a.expression, { timezone: a.zone, paused: true }));
  const legacy = list.slice(0, LEGACY_ASKS).map((a) => {
    try {
      return new CronTime(a.expression, a.zone);
    } catch {
      return null; // L, W, # and macros other than cron's own are not in `cron` 4
    }
  });
  const contenders = {
    ours: (a: Ask): unknown => nextCronFire(a.expression, a.zone, a.from),
    croner: (a: Ask, i: number): unknown => croners[i].nextRun(a.from),
    'cron 4': (a: Ask, i: number): unknown => legacy[i]?.getNextDateFrom(a.from, a.zone),
  };
  const lists: Record<string, Ask[]> = {
    croner: list.slice(0, CRONER_ASKS),
    'cron 4': list.slice(0, LEGACY_ASKS),
  };
  // One untimed pass each: parse caches and zone tables warm, as in a running service.
  for (const [name, fn] of Object.entries(contenders)) {
    (lists[name] ?? list).forEach((a, i) => fn(a, i));
  }
  const result = await runInterleaved(
    Object.entries(contenders).map(([name, fn]) => ({
      name,
      run: (): Promise<Figures> => Promise.resolve(timeEach(lists[name] ?? list, fn)),
    })),
    opts.runs,
    (name, i, f) => console.log(`run ${i + 1} ${name}: p50 ${f.p50Us} us, p99 ${f.p99Us} us`),
  );
  const names = Object.keys(contenders);
  printTable(
    `next slot from a previous slot, ${count} jobs (${cronMix().length} expressions x ${MIX_ZONES.length} zones), median of ${opts.runs}`,
    ['engine', 'asks', 'p50 us', 'p99 us', 'max us', 'p50 vs ours'],
    names.map((n) => [
      n,
      (lists[n] ?? list).length,
      result.summary[n].p50Us.median,
      result.summary[n].p99Us.median,
      result.summary[n].maxUs.median,
      n === 'ours' ? 1 : Math.round(ratio(result, n, 'ours', 'p50Us').median * 100) / 100,
    ]),
  );
  const file = writeResult('next-slot', opts.quick, {
    machine: await machineFacts(),
    options: {
      jobs: count,
      expressions: cronMix().length,
      zones: MIX_ZONES.length,
      runs: opts.runs,
    },
    ...result,
  });
  console.log(`\nwritten ${file}`);
});
