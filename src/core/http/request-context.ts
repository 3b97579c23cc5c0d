import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request } from 'express';

export interface AuthUser {
  /** The user's id, or the API key's id when `apiKeyPrefix` is set. */
  sub: string;
  /** The user name, or the API key's name. */
  username: string;
  role: 'admin' | 'viewer';
  /** Set when the caller authenticated with an API key (`sk_ab12cd34`): its public prefix. */
  apiKeyPrefix?: string;
}

/** Express request as this service sees it: `id` comes from pino-http (X-Request-Id or generated). */
export interface AppRequest extends Request {
  user?: AuthUser;
}

const store = new AsyncLocalStorage<AppRequest>();

/**
 * Makes the request being served readable anywhere below it (`currentRequest()`), so a service
 * deep in a transaction can name the caller and the request id (the audit trail) without every
 * signature carrying them. Mounted after the body parser: body-parser's stream callbacks would
 * otherwise run outside the context.
 */
export function requestContextMiddleware() {
  return (req: AppRequest, _res: unknown, next: () => void): void => store.run(req, next);
}

/** The request being served, or undefined outside one (timers, the scheduler, boot). */
export function currentRequest(): AppRequest | undefined {
  return store.getStore();
}
