import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { isApiRoute } from './api-route.js';
import { TooManyRequestsError } from './auth.errors.js';
import { bearerToken } from './jwt.guard.js';
import { TRIGGER_THROTTLE } from './throttle.decorators.js';
import { THROTTLERS } from './throttler.options.js';
import { TokenService } from './token.service.js';
import { ApiKeysService, isApiKey } from './api-keys/api-keys.service.js';

/** Who a request counts against: a user (valid bearer token) or else a client address. */
interface Caller {
  userId: string | null;
  ip: string;
}

const CALLER = Symbol('throttle-caller');
type ThrottledRequest = Request & { [CALLER]?: Promise<Caller> };

/**
 * @nestjs/throttler's guard with this service's rules, first among the global guards so a
 * flood never reaches bcrypt or the database:
 * - only routes under /api (health, metrics and docs are never limited);
 * - a request with a valid bearer token counts against its user ('user'; an API key counts
 *   against itself, `user:key:<id>`), any other request
 *   against its client address ('default'; `req.ip`, which follows X-Forwarded-For only when
 *   TRUST_PROXY is set; IPv6 clients grouped by /64 as the library does);
 * - routes marked @TriggerThrottle() also count against the caller's 'trigger' budget;
 * - one counter per throttler and caller across all routes (the library's default key is per
 *   route, which would turn "100 per 15 minutes" into 100 per route);
 * - a refusal is the 429 error envelope with `Retry-After` in seconds.
 * A JWT is only checked for its signature and expiry here (no database read); JwtAuthGuard,
 * next, does the full check. An API key is looked up once here and the guard reuses the answer.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeysService,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!isApiRoute(context));
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = props;
    const caller = await this.callerOf(context.switchToHttp().getRequest<ThrottledRequest>());
    let applies: boolean;
    if (throttler.name === THROTTLERS.trigger) {
      applies =
        this.reflector.getAllAndOverride<boolean | undefined>(TRIGGER_THROTTLE, [
          context.getHandler(),
          context.getClass(),
        ]) === true;
    } else if (throttler.name === THROTTLERS.user) {
      applies = caller.userId !== null;
    } else {
      applies = caller.userId === null;
    }
    return applies ? super.handleRequest(props) : true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const caller = await this.callerOf(req as unknown as ThrottledRequest);
    return caller.userId !== null ? `user:${caller.userId}` : `ip:${caller.ip}`;
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // The library names the header after the throttler (Retry-After-trigger); clients read this.
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, detail.timeToBlockExpire));
    return Promise.reject(new TooManyRequestsError());
  }

  /** Resolved once per request and shared by the three throttlers. */
  private callerOf(req: ThrottledRequest): Promise<Caller> {
    req[CALLER] ??= this.identify(req);
    return req[CALLER];
  }

  private async identify(req: Request): Promise<Caller> {
    const token = bearerToken(req.headers.authorization);
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const ip = normalizeIp(address, this.ipv6SubnetPrefix);
    if (token && isApiKey(token)) {
      // A live key counts against itself; an unknown one against its address like any stranger.
      const key = await this.apiKeys.forRequest(req, token);
      return { userId: key ? `key:${key.sub}` : null, ip };
    }
    const claims = token ? await this.tokens.verify(token) : null;
    return { userId: claims?.sub ?? null, ip };
  }
}
