import { createHmac } from 'node:crypto';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the Stripe-style scheme: signed http
 * targets (WEBHOOK_SIGNING_SECRET) and webhook notification channels (the channel's secret) use it.
 */
export function signBody(secret: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
  return `t=${timestampS},v1=${mac}`;
}
