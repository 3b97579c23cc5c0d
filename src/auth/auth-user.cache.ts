import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AuthUser } from '../core/http/request-context.js';
import { Clock } from '../core/time/clock.js';

/** What a bearer token is checked against: the user as stored, and its credential stamp. */
export interface CachedAuthUser {
  user: AuthUser;
  stamp: string;
}

/** Enough for every user of a deployment; past it the oldest entry goes. */
const MAX_ENTRIES = 10_000;

/**
 * The users bearer tokens stand for, kept AUTH_USER_CACHE_MS (default 2 s) so a busy client
 * does not cost a users query per request. A password or role change or a deletion made through
 * this replica drops the entry at once (UsersService calls `forget`); one made through another
 * replica or in SQL ends old tokens here within AUTH_USER_CACHE_MS. 0 reads the row every time.
 */
@Injectable()
export class AuthUserCache {
  private readonly entries = new Map<string, { value: CachedAuthUser; until: number }>();
  private readonly ttlMs: number;
  /** Bumped by `forget`: a read that started before a change must not store what it saw. */
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'auth'>,
  ) {
    this.ttlMs = config.auth.userCacheMs;
  }

  /** The cached user, else `load(id)`'s answer (stored unless null or outdated meanwhile). */
  async get(
    id: string,
    load: (id: string) => Promise<CachedAuthUser | null>,
  ): Promise<CachedAuthUser | null> {
    const hit = this.entries.get(id);
    if (hit && hit.until > this.clock.nowMs()) {
      return hit.value;
    }
    const generation = this.generation;
    const value = await load(id);
    if (value && this.ttlMs > 0 && generation === this.generation) {
      this.entries.delete(id);
      if (this.entries.size >= MAX_ENTRIES) {
        this.entries.delete(this.entries.keys().next().value!);
      }
      this.entries.set(id, { value, until: this.clock.nowMs() + this.ttlMs });
    }
    return value;
  }

  /** Call after the user's row changed or went away (after commit). */
  forget(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }
}
