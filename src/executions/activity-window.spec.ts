import { describe, expect, it } from '@jest/globals';
import {
  ActivityWindow,
  SETTLE_MS,
  type ActivityScan,
  type ActivitySource,
} from './activity-window.js';

/** A run as the history would hold it at some moment. */
interface Run {
  jobId: string;
  startedAt: number;
  /** When its row becomes visible (a slow commit or a late clock: up to 45 s after it started). */
  recordedAt: number;
  finishedAt: number;
  failed: boolean;
  lagMs: number | null;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** percentile_disc(0.99): the smallest value with at least 99% of the values at or below it. */
function p99(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.99 * sorted.length) - 1];
}

/** The brute-force aggregate of whatever runs are visible at `now`, bucketed from `from`. */
function aggregate(runs: Run[], now: number, from: number, to: number, bucketMs: number) {
  const out = new Map<number, { runs: Run[] }>();
  for (const r of runs) {
    if (r.recordedAt > now || r.startedAt < from || r.startedAt >= to) {
      continue;
    }
    const at = from + Math.floor((r.startedAt - from) / bucketMs) * bucketMs;
    const b = out.get(at) ?? { runs: [] };
    b.runs.push(r);
    out.set(at, b);
  }
  const failedNow = (r: Run): boolean => r.failed && r.finishedAt <= now;
  return new Map(
    [...out].map(([at, b]) => [
      at,
      {
        firings: b.runs.length,
        failures: b.runs.filter(failedNow).length,
        lagP99: p99(b.runs.flatMap((r) => (r.lagMs === null ? [] : [r.lagMs]))),
        failingJobIds: [...new Set(b.runs.filter(failedNow).map((r) => r.jobId))].sort(),
      },
    ]),
  );
}

/** The history at `now`; deleting a job's runs moves the generation, as in the database. */
class History implements ActivitySource {
  now = 0;
  scannedBuckets = 0;
  private generation = 1;

  constructor(public runs: Run[]) {}

  deleteJob(jobId: string): void {
    this.runs = this.runs.filter((r) => r.jobId !== jobId);
    this.generation++;
  }

  scan(from: Date, to: Date, bucketSeconds: number): Promise<ActivityScan> {
    const rows = [...aggregate(this.runs, this.now, +from, +to, bucketSeconds * 1000)]
      .sort(([a], [b]) => a - b)
      .map(([at, b]) => ({ bucket: new Date(at), ...b }));
    this.scannedBuckets += Math.ceil((+to - +from) / (bucketSeconds * 1000));
    const running = this.runs.filter(
      (r) =>
        r.recordedAt <= this.now &&
        r.finishedAt > this.now &&
        r.startedAt >= +from &&
        r.startedAt < +to,
    );
    return Promise.resolve({
      rows,
      oldestRunning: running.length ? new Date(Math.min(...running.map((r) => r.startedAt))) : null,
      generation: String(this.generation),
    });
  }
}

function makeRuns(seed: number, start: number, hours: number): Run[] {
  const random = rng(seed);
  const runs: Run[] = [];
  for (let t = start; t < start + hours * 3_600_000; t += Math.floor(random() * 20_000)) {
    const long = random() < 0.01;
    runs.push({
      jobId: `job-${Math.floor(random() * 40)}`,
      startedAt: t,
      recordedAt: t + (random() < 0.2 ? Math.floor(random() * 45_000) : 0),
      finishedAt: t + (long ? Math.floor(random() * 3 * 3_600_000) : Math.floor(random() * 5_000)),
      failed: random() < 0.1,
      lagMs: random() < 0.8 ? Math.floor(random() * 2_000) : null,
    });
  }
  return runs;
}

describe('ActivityWindow: settled buckets held, the tail read again', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'answers as one aggregate over the whole window at every moment (seed %i)',
    async (seed) => {
      const start = Date.UTC(2026, 11, 1, 0, 0, 0);
      const history = new History(makeRuns(seed, start, 10));
      const window = new ActivityWindow(history);
      const random = rng(seed + 100);
      let now = start + 3 * 3_600_000;
      for (let i = 0; i < 300; i++) {
        now += Math.floor(random() * (i % 10 === 0 ? 600_000 : 40_000));
        history.now = now;
        if (random() < 0.03) {
          history.deleteJob(`job-${Math.floor(random() * 40)}`);
        }
        const bucketMs = [60_000, 300_000, 900_000][Math.floor(random() * 3)];
        const hours = [1, 2, 6][Math.floor(random() * 3)];
        const to = Math.ceil((now + 1) / bucketMs) * bucketMs;
        const from = to - hours * 3_600_000;
        const got = await window.read(new Date(from), new Date(to), bucketMs, new Date(now));
        const want = aggregate(history.runs, now, from, to, bucketMs);
        const expected = [];
        for (let at = from; at < to; at += bucketMs) {
          const b = want.get(at);
          expected.push({
            at,
            firings: b?.firings ?? 0,
            failures: b?.failures ?? 0,
            lagP99: b?.lagP99 ?? null,
            failingJobIds: b?.failingJobIds ?? [],
          });
        }
        expect(
          got.map((b) => ({ ...b, failingJobIds: [...b.failingJobIds].sort() })),
        ).toEqual(expected);
      }
      // And it did hold buckets: far fewer scanned than asked for.
      expect(window.held).toBeGreaterThan(0);
    },
  );

  it('reads only the unsettled tail once the window is held', async () => {
    const start = Date.UTC(2026, 11, 1, 0, 0, 0);
    const history = new History(
      makeRuns(7, start, 7).map((r) => ({ ...r, finishedAt: r.startedAt + 1_000 })),
    );
    const window = new ActivityWindow(history);
    const now = start + 6 * 3_600_000 + 30_000;
    history.now = now;
    const to = Math.ceil((now + 1) / 60_000) * 60_000;
    const from = to - 6 * 3_600_000;
    await window.read(new Date(from), new Date(to), 60_000, new Date(now));
    expect(history.scannedBuckets).toBe(360);
    history.scannedBuckets = 0;
    await window.read(new Date(from), new Date(to), 60_000, new Date(now + 1_000));
    // The current minute and the one inside SETTLE_MS.
    expect(history.scannedBuckets).toBeLessThanOrEqual(Math.ceil(SETTLE_MS / 60_000) + 1);
    // A job deleted (on any replica): its runs are gone, so the whole window is read again.
    history.deleteJob(history.runs[0].jobId);
    history.scannedBuckets = 0;
    await window.read(new Date(from), new Date(to), 60_000, new Date(now + 2_000));
    expect(history.scannedBuckets).toBeGreaterThanOrEqual(360);
  });

  it('keeps reading a bucket while a run that started in it is still running', async () => {
    const start = Date.UTC(2026, 11, 1, 0, 0, 0);
    const slow: Run = {
      jobId: 'slow',
      startedAt: start + 10_000,
      recordedAt: start + 10_000,
      finishedAt: start + 3_600_000,
      failed: true,
      lagMs: 5,
    };
    const history = new History([slow]);
    const window = new ActivityWindow(history);
    const read = async (now: number) => {
      history.now = now;
      const [first] = await window.read(
        new Date(start),
        new Date(start + 2 * 3_600_000),
        60_000,
        new Date(now),
      );
      return first;
    };
    expect(await read(start + 1_800_000)).toMatchObject({ firings: 1, failures: 0 });
    expect(await read(start + 3_600_001)).toMatchObject({ failures: 1, failingJobIds: ['slow'] });
  });
});
