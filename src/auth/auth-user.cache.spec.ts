import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../config/app-config.js';
import type { Clock } from '../core/time/clock.js';
import { AuthUserCache, type CachedAuthUser } from './auth-user.cache.js';

class FakeClock {
  ms = 1_000_000;
  nowMs(): number {
    return this.ms;
  }
}

const ID = '6f1c2c59-5e0b-4d4f-9a43-0c4f3f0b6a10';

function setup(ttlMs: number) {
  const clock = new FakeClock();
  const config = { auth: { userCacheMs: ttlMs } } as Pick<AppConfig, 'auth'>;
  const cache = new AuthUserCache(clock as unknown as Clock, config);
  let stamp = 'one';
  let reads = 0;
  const load = (id: string): Promise<CachedAuthUser | null> => {
    reads++;
    return Promise.resolve({ user: { sub: id, username: 'u', role: 'viewer' }, stamp });
  };
  return {
    clock,
    cache,
    load,
    setStamp: (s: string) => (stamp = s),
    reads: () => reads,
  };
}

describe(AuthUserCache.name, () => {
  it('reuses a user for the TTL, then reads it again', async () => {
    const s = setup(2000);
    await s.cache.get(ID, s.load);
    s.setStamp('two');
    s.clock.ms += 1999;
    expect((await s.cache.get(ID, s.load))?.stamp).toBe('one');
    s.clock.ms += 1;
    expect((await s.cache.get(ID, s.load))?.stamp).toBe('two');
    expect(s.reads()).toBe(2);
  });

  it('reads again at once after forget (a change made on this replica)', async () => {
    const s = setup(2000);
    await s.cache.get(ID, s.load);
    s.setStamp('two');
    s.cache.forget(ID);
    expect((await s.cache.get(ID, s.load))?.stamp).toBe('two');
  });

  it('does not store a read that a forget overtook', async () => {
    const s = setup(2000);
    const stale = s.cache.get(ID, (id) => {
      s.cache.forget(id);
      return s.load(id);
    });
    await stale;
    s.setStamp('two');
    expect((await s.cache.get(ID, s.load))?.stamp).toBe('two');
  });

  it('never stores an unknown user, nor anything with a TTL of 0', async () => {
    const none = setup(2000);
    let reads = 0;
    const missing = (): Promise<null> => {
      reads++;
      return Promise.resolve(null);
    };
    await none.cache.get(ID, missing);
    await none.cache.get(ID, missing);
    expect(reads).toBe(2);
    const off = setup(0);
    await off.cache.get(ID, off.load);
    await off.cache.get(ID, off.load);
    expect(off.reads()).toBe(2);
  });
});
