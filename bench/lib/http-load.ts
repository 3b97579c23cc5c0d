import autocannon from 'autocannon';
import type { Figures } from './ab.js';

export interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  /** Called per request, so ids and search terms vary. */
  path: () => string;
  body?: () => unknown;
}

/**
 * Drives one endpoint with autocannon (`connections` keep-alive connections for `seconds`) on
 * any base URL, with an optional bearer token: the same driver hits the floor and the service.
 * Non-2xx answers are counted and make the run fail, so a 401 or 429 never passes for speed.
 */
export async function loadEndpoint(
  baseUrl: string,
  token: string | undefined,
  ep: Endpoint,
  opts: { connections: number; seconds: number },
): Promise<Figures> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  const result = await autocannon({
    url: baseUrl,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        method: ep.method,
        headers,
        setupRequest: (req) => ({
          ...req,
          path: ep.path(),
          body: ep.body ? JSON.stringify(ep.body()) : undefined,
        }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${ep.name} at ${baseUrl}: ${result.non2xx} non-2xx answers, ${result.errors} errors`,
    );
  }
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
  };
}
