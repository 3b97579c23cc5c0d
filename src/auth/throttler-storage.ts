import { performance } from 'node:perf_hooks';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Idle callers are forgotten this often (their hits have all left the window). */
const SWEEP_MS = 60_000;

/** A caller's counted hits for one throttler: expiry times in ascending order, a queue. */
interface Hits {
  at: number[];
  head: number;
  /** The caller's fixed window (the library's `timeToExpire`): when it ends. */
  windowEndsAt: number;
}

const seconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * The rate limiter's counts, in memory, with the answers of @nestjs/throttler's own storage for
 * `blockDuration: 0` (the only mode this service uses: a refused request is not counted, and a
 * caller is free again when its oldest counted hit leaves the window) at O(1) amortised per
 * request. The library's storage filters every hit of the window and spreads them into
 * `Math.min` on each request, so its cost grows with the limit (a machine client allowed
 * 100,000 a minute paid for 100,000 array entries per call). Here the hits are a queue in
 * expiry order: expired ones leave from the head, the oldest live one is the head.
 * Times come from a monotonic clock, so a wall-clock step neither frees nor blocks a caller.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly hits = new Map<string, Hits>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (blockDuration > 0) {
      throw new Error('SlidingWindowThrottlerStorage supports blockDuration 0 only');
    }
    const now = this.now();
    const id = `${throttlerName}\u0000${key}`;
    let h = this.hits.get(id);
    if (!h) {
      h = { at: [], head: 0, windowEndsAt: now + ttl };
      this.hits.set(id, h);
    }
    this.prune(h, now);
    if (seconds(h.windowEndsAt - now) <= 0) {
      h.windowEndsAt = now + ttl;
    }
    const timeToExpire = seconds(h.windowEndsAt - now);
    const counted = h.at.length - h.head;
    const isBlocked = counted >= limit;
    if (!isBlocked) {
      insertSorted(h, now + ttl);
    }
    const live = h.at.length - h.head;
    return Promise.resolve({
      totalHits: live + (isBlocked ? 1 : 0),
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(h.at[h.head] - now) : 0,
    });
  }

  /** Forgets callers with no live hit and an ended window. */
  sweep(now = this.now()): void {
    for (const [id, h] of this.hits) {
      this.prune(h, now);
      if (h.head === h.at.length && h.windowEndsAt <= now) {
        this.hits.delete(id);
      }
    }
  }

  get callers(): number {
    return this.hits.size;
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.hits.clear();
  }

  private prune(h: Hits, now: number): void {
    while (h.head < h.at.length && h.at[h.head] <= now) {
      h.head++;
    }
    // Compact once the dead prefix is at least half the array: O(1) amortised per hit.
    if (h.head > 0 && h.head * 2 >= h.at.length) {
      h.at = h.at.slice(h.head);
      h.head = 0;
    }
  }
}

/** Appends, or (a route with a shorter ttl than the last hit's) inserts in expiry order. */
function insertSorted(h: Hits, expiresAt: number): void {
  const at = h.at;
  if (at.length === h.head || at[at.length - 1] <= expiresAt) {
    at.push(expiresAt);
    return;
  }
  let lo = h.head;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid] <= expiresAt) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  at.splice(lo, 0, expiresAt);
}
