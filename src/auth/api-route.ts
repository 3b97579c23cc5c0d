import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * True when the matched route is declared under /api. Uses the route's declared pattern
 * (`req.route.path`), not the request path: Express matches paths case-insensitively, so a
 * check on `req.path` would let `/API/users` through as "outside the API".
 */
export function isApiRoute(context: ExecutionContext): boolean {
  if (context.getType() !== 'http') {
    return false;
  }
  const req = context.switchToHttp().getRequest<Request>();
  const declared = (req.route as { path?: unknown } | undefined)?.path;
  const path = (typeof declared === 'string' ? declared : req.path).toLowerCase();
  return path === '/api' || path.startsWith('/api/');
}
