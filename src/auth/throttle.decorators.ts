import { SetMetadata } from '@nestjs/common';

export const TRIGGER_THROTTLE = 'throttle:trigger';

/**
 * Puts a route under the 'trigger' throttler (THROTTLE_TRIGGER_LIMIT per THROTTLE_TRIGGER_TTL_MS
 * per caller, one budget shared by every route carrying it) on top of the caller's API-wide
 * throttler. `@SkipThrottle({ default: true, user: true, trigger: true })` from
 * @nestjs/throttler exempts a route.
 */
export const TriggerThrottle = (): MethodDecorator & ClassDecorator =>
  SetMetadata(TRIGGER_THROTTLE, true);
