import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { SlidingWindowThrottlerStorage } from './throttler-storage.js';

/** A small deterministic generator, so a failing sequence can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('SlidingWindowThrottlerStorage against @nestjs/throttler’s own storage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'answers every request as the library does (blockDuration 0), seed %i',
    async (seed) => {
      const random = rng(seed);
      const start = Date.UTC(2026, 11, 2, 12, 0, 0);
      jest.useFakeTimers({ now: start });
      const reference = new ThrottlerStorageService();
      let clock = start;
      const ours = new SlidingWindowThrottlerStorage(() => clock);
      const throttlers = [
        { name: 'default', ttl: 900_000, limit: 3 },
        { name: 'user', ttl: 2_000, limit: 5 },
        { name: 'trigger', ttl: 1_000, limit: 1 },
      ];
      const callers = ['user:a', 'user:b', 'ip:10.0.0.1'];
      let refused = 0;
      for (let i = 0; i < 3_000; i++) {
        const step = random() < 0.1 ? Math.floor(random() * 5_000) : Math.floor(random() * 150);
        clock += step;
        jest.setSystemTime(clock);
        const t = throttlers[Math.floor(random() * throttlers.length)];
        const key = `${t.name}:${callers[Math.floor(random() * callers.length)]}`;
        const expected = await reference.increment(key, t.ttl, t.limit, 0, t.name);
        const actual = await ours.increment(key, t.ttl, t.limit, 0, t.name);
        expect({ i, key, ...actual }).toEqual({ i, key, ...expected });
        refused += expected.isBlocked ? 1 : 0;
      }
      // The sequence must exercise both answers, or the comparison proves little.
      expect(refused).toBeGreaterThan(100);
      expect(refused).toBeLessThan(2_900);
      reference.onApplicationShutdown();
      ours.onApplicationShutdown();
    },
  );

  it('forgets a caller once its hits and window have ended, and keeps a live one', async () => {
    let clock = 1_000_000;
    const ours = new SlidingWindowThrottlerStorage(() => clock);
    await ours.increment('user:idle', 1_000, 10, 0, 'user');
    await ours.increment('user:busy', 60_000, 10, 0, 'user');
    clock += 5_000;
    ours.sweep();
    expect(ours.callers).toBe(1);
    const again = await ours.increment('user:busy', 60_000, 10, 0, 'user');
    expect(again.totalHits).toBe(2);
    ours.onApplicationShutdown();
  });

  it('frees a refused caller when its oldest counted hit leaves the window, whatever the limit', async () => {
    let clock = 0;
    const ours = new SlidingWindowThrottlerStorage(() => clock);
    for (let i = 0; i < 50_000; i++) {
      clock += 1;
      expect((await ours.increment('user:k', 60_000, 50_000, 0, 'user')).isBlocked).toBe(false);
    }
    // Now 50,000; the oldest hit (at 1) leaves at 60,001: 10.001 s, announced as 11.
    const refused = await ours.increment('user:k', 60_000, 50_000, 0, 'user');
    expect(refused).toMatchObject({ isBlocked: true, totalHits: 50_001, timeToBlockExpire: 11 });
    clock = 60_001; // the first hit (at 1) expired at 60,001
    expect(await ours.increment('user:k', 60_000, 50_000, 0, 'user')).toMatchObject({
      isBlocked: false,
      totalHits: 50_000,
    });
    ours.onApplicationShutdown();
  });

  it('refuses a blockDuration it does not implement instead of answering wrongly', () => {
    const ours = new SlidingWindowThrottlerStorage(() => 0);
    expect(() => ours.increment('k', 1_000, 1, 5_000, 'user')).toThrow(/blockDuration 0/);
    ours.onApplicationShutdown();
  });
});
