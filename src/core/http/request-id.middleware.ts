import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type WithId = IncomingMessage & { id?: unknown };

/**
 * The request's id: a well-formed X-Request-Id from the client, otherwise a new UUID; echoed
 * on the response. Idempotent, so the logger can call it again and get the same id.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const known = (req as WithId).id;
  if (typeof known === 'string') {
    return known;
  }
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as WithId).id = id;
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Registered before body parsing, so even a request the parser refuses (413, bad JSON) gets
 * an id in its error body and log line.
 */
export function requestIdMiddleware() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    requestId(req, res);
    next();
  };
}
