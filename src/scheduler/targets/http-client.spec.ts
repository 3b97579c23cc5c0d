import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpTargetServer } from '../../../test/support/http-target.js';
import { HttpClient } from './http-client.js';

describe('HttpClient (real http target)', () => {
  const target = new HttpTargetServer({ body: 'x'.repeat(10_000) });
  const client = new HttpClient();

  beforeAll(() => target.start());
  afterAll(async () => {
    await client.onApplicationShutdown();
    await target.stop();
  });

  const call = (url: string, keepBodyBytes = 4096) =>
    client.call({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-job-id': 'j1' },
      body: '{"a":1}',
      signal: AbortSignal.timeout(5000),
      keepBodyBytes,
    });

  it('sends the request and keeps only the first bytes of the answer', async () => {
    const reply = await call(target.url('/first'), 100);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('x'.repeat(100));
    const got = target.requests.find((r) => r.path === '/first');
    expect(got?.body).toBe('{"a":1}');
    expect(got?.headers['x-job-id']).toBe('j1');
  });

  it('reaches a host name through the guarded lookup', async () => {
    const url = target.url('/by-name').replace('127.0.0.1', 'localhost');
    const reply = await call(url);
    expect(reply.status).toBe(200);
    expect(target.requests.some((r) => r.path === '/by-name')).toBe(true);
  });

  it('does not follow redirects', async () => {
    target.options = { status: 302, body: '' };
    try {
      const reply = await call(target.url('/moved'));
      expect(reply.status).toBe(302);
    } finally {
      target.options = { body: 'x'.repeat(10_000) };
    }
  });

  it('gives up when the signal fires', async () => {
    target.options = { delayMs: 8000 };
    try {
      const started = Date.now();
      await expect(
        client.call({
          url: target.url('/slow'),
          method: 'GET',
          headers: {},
          signal: AbortSignal.timeout(100),
          keepBodyBytes: 10,
        }),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      target.options = { body: 'x'.repeat(10_000) };
    }
  });
});
