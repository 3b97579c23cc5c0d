import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../core/time/clock.js';

export interface RateDecision {
  allowed: boolean;
  /** Requests left in the window after this one. */
  remaining: number;
  /** Seconds until another request would be allowed (0 when allowed). */
  retryAfterS: number;
}

/**
 * Sliding-window log per key, in process memory: a key may make `limit` requests in any `ttlMs`
 * span. Refused requests are not counted, so a client that stops is free again as soon as its
 * oldest counted request ages out (Retry-After says when). Each replica counts on its own.
 */
/** One key's counted request times, oldest first; entries before `start` have aged out. */
interface Window {
  ttlMs: number;
  times: number[];
  start: number;
}

@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly hits = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: Clock) {
    // Forget idle clients so the map does not grow with every address ever seen.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /**
   * Amortised O(1): times are appended in order, so aged-out ones are skipped from the front
   * and compacted away now and then (a filter over the whole window made each request cost
   * O(limit), which a high THROTTLE_LIMIT turns into milliseconds).
   */
  hit(key: string, limit: number, ttlMs: number): RateDecision {
    const now = this.clock.nowMs();
    let w = this.hits.get(key);
    if (!w) {
      w = { ttlMs, times: [], start: 0 };
      this.hits.set(key, w);
    }
    w.ttlMs = ttlMs;
    while (w.start < w.times.length && w.times[w.start] <= now - ttlMs) {
      w.start++;
    }
    if (w.start >= 64 && w.start * 2 >= w.times.length) {
      w.times = w.times.slice(w.start);
      w.start = 0;
    }
    const counted = w.times.length - w.start;
    if (counted >= limit) {
      const retryAfterS = Math.max(1, Math.ceil((w.times[w.start] + ttlMs - now) / 1000));
      return { allowed: false, remaining: 0, retryAfterS };
    }
    w.times.push(now);
    return { allowed: true, remaining: limit - counted - 1, retryAfterS: 0 };
  }

  private sweep(): void {
    const now = this.clock.nowMs();
    for (const [key, { ttlMs, times }] of this.hits) {
      if (times.length === 0 || times[times.length - 1] <= now - ttlMs) {
        this.hits.delete(key);
      }
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
