import { afterEach, describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter.js';

class FakeClock {
  ms = 1_000_000;
  nowMs(): number {
    return this.ms;
  }
  now(): Date {
    return new Date(this.ms);
  }
}

describe(RateLimiter.name, () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter(clock);

  afterEach(() => limiter.onModuleDestroy());

  it('allows `limit` hits per window, then refuses until the oldest one ages out', () => {
    const t0 = clock.ms;
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.ms = t0 + i * 10_000;
      const r = limiter.hit('a', 3, 60_000);
      expect(r.allowed).toBe(true);
      remaining.push(r.remaining);
    }
    expect(remaining).toEqual([2, 1, 0]);
    clock.ms = t0 + 30_000;
    expect(limiter.hit('a', 3, 60_000)).toEqual({ allowed: false, remaining: 0, retryAfterS: 30 });
    // Sliding, not fixed: at t0+60s only the first hit has aged out, so one slot is free.
    clock.ms = t0 + 60_000;
    expect(limiter.hit('a', 3, 60_000).allowed).toBe(true);
    expect(limiter.hit('a', 3, 60_000)).toEqual({ allowed: false, remaining: 0, retryAfterS: 10 });
  });

  it('keeps keys apart', () => {
    expect(limiter.hit('b', 1, 60_000).allowed).toBe(true);
    expect(limiter.hit('b', 1, 60_000).allowed).toBe(false);
    expect(limiter.hit('c', 1, 60_000).allowed).toBe(true);
  });

  it('keeps an exact count over many windows of a high limit', () => {
    const t0 = clock.ms;
    for (let i = 0; i < 1000; i++) {
      clock.ms = t0 + i;
      expect(limiter.hit('d', 100, 100).remaining).toBe(i < 99 ? 99 - i : 0);
    }
    clock.ms = t0 + 1000;
    expect(limiter.hit('d', 1, 1).allowed).toBe(true);
  });
});
