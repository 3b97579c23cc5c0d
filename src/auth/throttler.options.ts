import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config.js';
import { SlidingWindowThrottlerStorage } from './throttler-storage.js';

/** Names of the throttlers; each sets its own `X-RateLimit-*-<name>` headers ('default': none). */
export const THROTTLERS = {
  /** Unauthenticated requests, per client IP: the original's 100 per 15 min (login above all). */
  ip: 'default',
  /** Authenticated requests, per user id, with a budget a polling dashboard never reaches. */
  user: 'user',
  /** Manual triggers, per caller, on top of the above. */
  trigger: 'trigger',
} as const;

/**
 * The named throttlers of @nestjs/throttler, from the env contract. `blockDuration: 0` keeps
 * refused requests out of the count: a caller is free again as soon as its oldest counted
 * request leaves the window (Retry-After says when), instead of being locked out for a
 * further full window. The counts live in SlidingWindowThrottlerStorage (the library's answers at
 * a cost per request that does not grow with the limit). Which throttler applies to a request is decided by AppThrottlerGuard.
 */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  const t = config.http.throttle;
  return {
    storage: new SlidingWindowThrottlerStorage(),
    throttlers: [
      { name: THROTTLERS.ip, ttl: t.ttlMs, limit: t.limit, blockDuration: 0 },
      { name: THROTTLERS.user, ttl: t.userTtlMs, limit: t.userLimit, blockDuration: 0 },
      { name: THROTTLERS.trigger, ttl: t.triggerTtlMs, limit: t.triggerLimit, blockDuration: 0 },
    ],
  };
}
