import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppRequest } from '../core/http/request-context.js';
import { isApiRoute } from './api-route.js';
import { ForbiddenError, UnauthorizedError } from './auth.errors.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_ROLES, type Role } from './roles.decorator.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Runs after JwtAuthGuard. Default rule, so a new write route is protected without anyone
 * remembering a decorator: reads are open to every signed-in user, every other method needs
 * `admin`. `@Roles(...)` / `@AdminOnly()` replace the default for a route or controller.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (!isApiRoute(context) || this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const req = context.switchToHttp().getRequest<AppRequest>();
    if (!req.user) {
      throw new UnauthorizedError();
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const allowed = required
      ? required.includes(req.user.role)
      : READ_METHODS.has(req.method) || req.user.role === 'admin';
    if (!allowed) {
      throw new ForbiddenError(
        required
          ? `This operation needs role ${required.join(' or ')}`
          : 'Only admins may change data',
      );
    }
    return true;
  }
}
