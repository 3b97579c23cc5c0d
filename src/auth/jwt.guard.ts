import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppRequest } from '../core/http/request-context.js';
import { isApiRoute } from './api-route.js';
import { UnauthorizedError } from './auth.errors.js';
import { AuthService } from './auth.service.js';
import { ApiKeysService, isApiKey } from './api-keys/api-keys.service.js';
import { IS_PUBLIC } from './public.decorator.js';

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header?.trim() ?? '');
  return match ? match[1] : null;
}

/**
 * Global: every route under /api needs a valid bearer token (a user's JWT or an API key,
 * `sk_...`) unless marked @Public(). Routes outside /api (health, metrics, docs) are not this
 * guard's business.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!isApiRoute(context)) {
      return true;
    }
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    const req = context.switchToHttp().getRequest<AppRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      throw new UnauthorizedError();
    }
    if (isApiKey(token)) {
      const key = await this.apiKeys.forRequest(req, token);
      if (!key) {
        throw new UnauthorizedError('The API key is invalid, expired or revoked');
      }
      req.user = key;
      return true;
    }
    req.user = await this.auth.authenticate(token);
    return true;
  }
}
