import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { EventBus } from '../core/events/event-bus.js';
import { runEvent, type RunEvent } from './run-event.js';
import { RunEventsRelay } from './run-events.relay.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** What the browser waits before reconnecting (the console asks for a new ticket first). */
const RETRY_MS = 3_000;
/** A client this far behind is cut off; it reconnects and re-reads what it shows. */
const MAX_BUFFERED_BYTES = 1 << 20;

interface Stream {
  res: Response;
}

/**
 * Server-sent events for the console: job definition changes (any replica, through LISTEN
 * job_changed) and execution starts and ends of every replica: this replica's from its EventBus,
 * the others' through RunEventsRelay (NOTIFY execution_events), each run once. One EventBus
 * subscription per event kind for the whole process, however many streams are open, so streams
 * cannot leak bus listeners; a closed connection removes its stream at once.
 */
@Injectable()
export class LiveEventsService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveEventsService.name);
  private readonly streams = new Set<Stream>();
  private readonly unsubscribe: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private nextId = 0;

  constructor(
    private readonly events: EventBus,
    private readonly relay: RunEventsRelay,
  ) {}

  get openStreams(): number {
    return this.streams.size;
  }

  onModuleInit(): void {
    this.relay.onRemote = (e) => this.broadcast(e.kind, e.data);
    const local = (e: RunEvent): void => {
      this.broadcast(e.kind, e.data);
      this.relay.send(e);
    };
    this.unsubscribe.push(
      this.events.subscribe('jobs.changed', (e) => this.broadcast('jobs.changed', e)),
      this.events.subscribe('slot.fired', (e) => local(runEvent('execution.started', e))),
      this.events.subscribe('execution.finished', (e) => local(runEvent('execution.finished', e))),
    );
    this.heartbeat = setInterval(() => this.writeAll(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Turns the response into an event stream until the client goes away; other replicas' runs
   * are heard from when it starts (unless the database takes more than a moment).
   */
  async open(req: Request, res: Response): Promise<void> {
    await this.relay.listen();
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform: compression() leaves the stream alone (it would buffer the events).
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const stream: Stream = { res };
    this.streams.add(stream);
    res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    const close = (): void => {
      if (this.streams.delete(stream) && this.streams.size === 0) {
        this.relay.idle();
      }
    };
    req.once('close', close);
    res.once('close', close);
  }

  private broadcast(event: string, data: unknown): void {
    if (this.streams.size === 0) {
      return;
    }
    this.writeAll(`id: ${++this.nextId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private writeAll(chunk: string): void {
    for (const stream of this.streams) {
      if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
        this.logger.warn('event stream client too slow; closing its stream');
        this.end(stream);
        continue;
      }
      stream.res.write(chunk);
    }
  }

  private end(stream: Stream): void {
    if (this.streams.delete(stream) && this.streams.size === 0) {
      this.relay.idle();
    }
    stream.res.end();
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe.splice(0)) {
      off();
    }
    clearInterval(this.heartbeat);
  }

  /** Open streams would hold the HTTP server open (it closes next): end them first. */
  beforeApplicationShutdown(): void {
    for (const stream of [...this.streams]) {
      this.end(stream);
    }
  }
}
