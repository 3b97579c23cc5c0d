/**
 * The network for component tests: the API client captures `fetch` when it is created, so setup
 * installs this forwarder first and each test decides what the "server" answers.
 */
export type Handler = (request: Request) => Response | Promise<Response>;

let handler: Handler = (request) => {
  throw new Error(`unexpected request ${request.method} ${request.url}`);
};

export function answer(next: Handler): void {
  handler = next;
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
  Promise.resolve(handler(input instanceof Request ? input : new Request(input, init)));
