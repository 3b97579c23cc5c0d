import { SetMetadata } from '@nestjs/common';

export const TRIGGER_THROTTLE = 'throttle:trigger';
export const SKIP_THROTTLE = 'throttle:skip';

/**
 * Puts a route under the 'trigger' limiter (THROTTLE_TRIGGER_LIMIT per THROTTLE_TRIGGER_TTL_MS per
 * client, shared by every route carrying it) on top of the API-wide 'default' limiter.
 */
export const TriggerThrottle = (): MethodDecorator & ClassDecorator =>
  SetMetadata(TRIGGER_THROTTLE, true);

/** Exempts an /api route from rate limiting (routes outside /api are never limited). */
export const SkipThrottle = (): MethodDecorator & ClassDecorator =>
  SetMetadata(SKIP_THROTTLE, true);
