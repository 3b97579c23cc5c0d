import { HttpClient } from '../../src/scheduler/targets/http-client.js';

/**
 * Child process of the `burst` http floor: the service's own HttpClient (undici, same agent
 * settings) making N POSTs to the receiver, 256 in flight as the dispatcher allows, with no
 * scheduler around it. Reports the wall time over IPC.
 */
const MAX_IN_FLIGHT = 256;

process.once('message', (msg: { url: string; calls: number }) => {
  void (async () => {
    const client = new HttpClient();
    const body = JSON.stringify({ bench: true });
    let next = 0;
    const started = performance.now();
    const lane = async (): Promise<void> => {
      while (next++ < msg.calls) {
        await client.call({
          url: msg.url,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-scheduled-for': '' },
          body,
          signal: AbortSignal.timeout(30_000),
          keepBodyBytes: 4096,
        });
      }
    };
    await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, lane));
    const ms = performance.now() - started;
    await client.onApplicationShutdown();
    process.send?.({ ms }, () => process.exit(0));
  })();
});
