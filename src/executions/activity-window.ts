/** One bucket as the database aggregates it (see ACTIVITY_BUCKETS_SQL). */
export interface ActivityBucketRow {
  bucket: Date;
  firings: number;
  failures: number;
  lagP99: number | null;
  /** Jobs with a failed or timed-out run in the bucket (for the window's distinct count). */
  failingJobIds: string[];
}

/** One read of a range, all of it in one snapshot. */
export interface ActivityScan {
  /** Buckets of the range's length from `from` (origin) to `to` that have runs, oldest first. */
  rows: ActivityBucketRow[];
  /** The start of the oldest run still running that started at or after `from`, if any. */
  oldestRunning: Date | null;
  /**
   * Changes whenever a job is created, redefined or deleted (deleting a job deletes its runs):
   * held buckets are only good while it stays the same.
   */
  generation: string;
}

export interface ActivitySource {
  scan(from: Date, to: Date, bucketSeconds: number): Promise<ActivityScan>;
}

export interface ActivityBucket {
  at: number;
  firings: number;
  failures: number;
  lagP99: number | null;
  failingJobIds: readonly string[];
}

/**
 * A run's row is written when it starts and once more when it ends; after that it never changes.
 * So a bucket is final ("settled") once it ended more than SETTLE_MS ago (a run recorded late by
 * a slow commit or a replica's clock still lands in it until then) and no run that started in it
 * is still running.
 */
export const SETTLE_MS = 60_000;
/** Settled buckets kept per replica (48 h of 1-minute buckets is 2,880 per bucket length). */
const MAX_SETTLED = 20_000;

const EMPTY: readonly string[] = [];

/**
 * The console's activity window at the cost of its unsettled tail: settled buckets are kept in
 * memory (an overview refreshing every second at a thousand runs a minute would otherwise re-read
 * up to 48 hours of runs each time), and each request reads only from the first bucket it does not
 * hold. The answer is what one statement over the whole window gives (test: activity-window.spec,
 * against the database in console-api e2e). Deleting a job deletes its runs, so every read also
 * returns the jobs' generation (in the same snapshot): when it moved, everything held is dropped and
 * the window read whole again, on every replica at once.
 */
export class ActivityWindow {
  private readonly settled = new Map<string, ActivityBucket>();
  private generation: string | undefined;

  constructor(private readonly source: ActivitySource) {}

  get held(): number {
    return this.settled.size;
  }

  /** Every bucket of [from, to) in steps of `bucketMs`, empty ones included, oldest first. */
  async read(from: Date, to: Date, bucketMs: number, now: Date): Promise<ActivityBucket[]> {
    const starts: number[] = [];
    for (let at = from.getTime(); at < to.getTime(); at += bucketMs) {
      starts.push(at);
    }
    const held = (at: number): ActivityBucket | undefined => this.settled.get(`${bucketMs}:${at}`);
    // From the first bucket not held; at least the last one, to learn the generation.
    const firstMissing = starts.findIndex((at) => !held(at));
    let scanFrom = firstMissing === -1 ? starts.length - 1 : firstMissing;
    let scan = await this.source.scan(new Date(starts[scanFrom]), to, bucketMs / 1000);
    if (scan.generation !== this.generation) {
      this.settled.clear();
      this.generation = scan.generation;
      if (scanFrom > 0) {
        scanFrom = 0;
        scan = await this.source.scan(from, to, bucketMs / 1000);
        this.generation = scan.generation;
      }
    }
    const { rows, oldestRunning } = scan;
    const settledUntil = Math.min(
      now.getTime() - SETTLE_MS,
      oldestRunning?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    const scanned = new Map(rows.map((r) => [r.bucket.getTime(), r]));
    return starts.map((at, i) => {
      if (i < scanFrom) {
        return held(at) as ActivityBucket;
      }
      const row = scanned.get(at);
      const bucket: ActivityBucket = {
        at,
        firings: row?.firings ?? 0,
        failures: row?.failures ?? 0,
        lagP99: row?.lagP99 ?? null,
        failingJobIds: row?.failingJobIds ?? EMPTY,
      };
      if (at + bucketMs <= settledUntil) {
        this.keep(`${bucketMs}:${at}`, bucket);
      }
      return bucket;
    });
  }

  private keep(key: string, bucket: ActivityBucket): void {
    this.settled.set(key, bucket);
    if (this.settled.size > MAX_SETTLED) {
      // Map order is insertion order: the oldest kept go first.
      this.settled.delete(this.settled.keys().next().value as string);
    }
  }
}
