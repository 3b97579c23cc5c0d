import type { Request } from 'express';

export interface AuthUser {
  sub: string;
  username: string;
  role: 'admin' | 'viewer';
}

/** Express request as this service sees it: `id` comes from pino-http (X-Request-Id or generated). */
export interface AppRequest extends Request {
  user?: AuthUser;
}
