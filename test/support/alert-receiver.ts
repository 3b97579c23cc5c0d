import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReceivedRequest } from './http-target.js';

/**
 * Checks a webhook's `X-Signature: t=<s>,v1=<hex>` the way a receiver would, with node:crypto
 * only (independent of the service's signing code): HMAC-SHA256 of "<t>.<raw body>".
 */
export function signatureValid(req: ReceivedRequest, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signature'] ?? ''));
  if (!m) {
    return false;
  }
  const expected = createHmac('sha256', secret).update(`${m[1]}.${req.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

export interface WebhookBody {
  id: string;
  event: string;
  job?: { id: string; name: string; consecutiveFailures: number; paused: boolean };
  execution?: { id: string; status: string; httpStatus: number | null; errorMessage: string };
  slot?: string;
}

export const bodyOf = (r: ReceivedRequest): WebhookBody => JSON.parse(r.body) as WebhookBody;
