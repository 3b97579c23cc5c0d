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
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly hits = new Map<string, { ttlMs: number; times: number[] }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: Clock) {
    // Forget idle clients so the map does not grow with every address ever seen.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  hit(key: string, limit: number, ttlMs: number): RateDecision {
    const now = this.clock.nowMs();
    const recent = (this.hits.get(key)?.times ?? []).filter((t) => t > now - ttlMs);
    this.hits.set(key, { ttlMs, times: recent });
    if (recent.length >= limit) {
      const retryAfterS = Math.max(1, Math.ceil((recent[0] + ttlMs - now) / 1000));
      return { allowed: false, remaining: 0, retryAfterS };
    }
    recent.push(now);
    return { allowed: true, remaining: limit - recent.length, retryAfterS: 0 };
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
