import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { guardedLookup } from '../../core/net/target-policy.js';

/** Bytes of a receiver's answer kept for the attempt's error text. */
const KEEP_BYTES = 512;

/**
 * Outgoing notification requests: undici on an Agent whose connections resolve through the
 * target policy's guarded lookup (as http targets do), redirects never followed.
 */
@Injectable()
export class NotificationClient implements OnApplicationShutdown {
  private readonly agent = new Agent({
    connections: 16,
    connect: { lookup: guardedLookup() },
    headersTimeout: 0,
    bodyTimeout: 0,
  });

  async onApplicationShutdown(): Promise<void> {
    await this.agent.destroy();
  }

  async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<{ status: number; body: string }> {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text.slice(0, KEEP_BYTES) };
  }
}
