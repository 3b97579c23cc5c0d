import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError } from '../core/errors/app-error.js';
import { isApiRoute } from './api-route.js';
import { RateLimiter } from './rate-limiter.js';
import { SKIP_THROTTLE, TRIGGER_THROTTLE } from './throttle.decorators.js';

export class TooManyRequestsError extends AppError {
  constructor() {
    super('RATE_LIMITED', 'Too many requests, please try again later');
  }
}

interface NamedLimit {
  name: 'default' | 'trigger';
  limit: number;
  ttlMs: number;
}

/**
 * Rate limits per client address (`req.ip`: X-Forwarded-For only when TRUST_PROXY is set), as
 * the original's express-rate-limit: 'default' counts every /api request across the whole API,
 * 'trigger' additionally counts routes marked @TriggerThrottle(). Routes outside /api (health,
 * metrics, docs) are never limited. Refusals are 429 in the error envelope with Retry-After.
 *
 * Hand-written instead of @nestjs/throttler: its 6.x build is CommonJS and require()s the
 * ESM-only @nestjs/common 12, which Jest cannot load on Node < 24.9.
 */
@Injectable()
export class AppThrottlerGuard implements CanActivate {
  private readonly limits: NamedLimit[];

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const t = config.http.throttle;
    this.limits = [
      { name: 'default', limit: t.limit, ttlMs: t.ttlMs },
      { name: 'trigger', limit: t.triggerLimit, ttlMs: t.triggerTtlMs },
    ];
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (!isApiRoute(context) || this.reflector.getAllAndOverride<boolean>(SKIP_THROTTLE, targets)) {
      return true;
    }
    const trigger = this.reflector.getAllAndOverride<boolean>(TRIGGER_THROTTLE, targets) === true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    for (const { name, limit, ttlMs } of this.limits) {
      if (name === 'trigger' && !trigger) {
        continue;
      }
      const decision = this.limiter.hit(`${name}:${client}`, limit, ttlMs);
      const suffix = name === 'default' ? '' : '-Trigger';
      res.setHeader(`X-RateLimit-Limit${suffix}`, String(limit));
      res.setHeader(`X-RateLimit-Remaining${suffix}`, String(decision.remaining));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.retryAfterS));
        throw new TooManyRequestsError();
      }
    }
    return true;
  }
}
