import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: Date;
}

export interface HttpTargetOptions {
  /** Response status (default 200), or a function of the request. */
  status?: number | ((req: ReceivedRequest) => number);
  /** Milliseconds before answering (default 0), or a function of the request. */
  delayMs?: number | ((req: ReceivedRequest) => number);
  body?: string;
}

/** A real HTTP receiver on 127.0.0.1:0 that records every request it gets. */
export class HttpTargetServer {
  readonly requests: ReceivedRequest[] = [];
  /** X-Execution-Id of requests whose caller hung up before the answer (an aborted attempt). */
  readonly abandoned = new Set<string>();
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  constructor(public options: HttpTargetOptions = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rec: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: new Date(),
        };
        this.requests.push(rec);
        const { status = 200, delayMs = 0, body = '{"ok":true}' } = this.options;
        const wait = typeof delayMs === 'function' ? delayMs(rec) : delayMs;
        res.on('close', () => {
          if (!res.writableEnded) {
            this.abandoned.add(String(req.headers['x-execution-id']));
          }
        });
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (res.destroyed) {
            return;
          }
          res.writeHead(typeof status === 'function' ? status(rec) : status, {
            'content-type': 'application/json',
          });
          res.end(body);
        }, wait);
        this.timers.add(timer);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Requests carrying this job id. */
  forJob(jobId: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.headers['x-job-id'] === jobId);
  }

  async stop(): Promise<void> {
    this.timers.forEach((t) => clearTimeout(t));
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
