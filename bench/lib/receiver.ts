import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  /** Calls received so far. */
  readonly calls: number;
  /** performance.now() of the latest call. */
  readonly lastCallAt: number;
  /** Calls whose X-Scheduled-For header (the contract's) names a slot in [from, to). */
  callsForSlots(from: Date, to: Date): number;
  reset(): void;
  close(): Promise<void>;
}

/** The http target of the firing and burst benchmarks: answers 200 to anything, counting. */
export async function startReceiver(): Promise<Receiver> {
  let calls = 0;
  let lastCallAt = 0;
  let slots: number[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      const slot = req.headers['x-scheduled-for'];
      if (typeof slot === 'string') {
        slots.push(Date.parse(slot));
      }
      lastCallAt = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get calls() {
      return calls;
    },
    get lastCallAt() {
      return lastCallAt;
    },
    callsForSlots: (from, to) =>
      slots.filter((t) => t >= from.getTime() && t < to.getTime()).length,
    reset: () => {
      calls = 0;
      lastCallAt = 0;
      slots = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
