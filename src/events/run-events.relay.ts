import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RUN_EVENT_KINDS, runEvent, type RunEvent } from './run-event.js';

/** The NOTIFY channel other replicas' runs arrive on. */
export const RUN_EVENTS_CHANNEL = 'execution_events';
/** Runs of one window go out together: one statement however many runs a burst starts. */
const FLUSH_MS = 100;
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD = 7000;
/** The LISTEN connection is kept this long after the last stream closed (a reload reconnects). */
const LINGER_MS = 30_000;
/** A stream opens without the LISTEN after this long (the database is slow or away). */
const READY_TIMEOUT_MS = 2_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;

interface Envelope {
  /** The sending replica's relay: a replica ignores what it sent itself. */
  o: string;
  e: RunEvent[];
}

/**
 * Runs started and finished on other replicas, for the event stream. This replica's runs are
 * published on its EventBus (after their commit); the relay sends them on with NOTIFY
 * `execution_events` (batched, tagged with this process's origin id), and LISTENs there while
 * the replica serves a stream, handing the runs of every other origin to `onRemote`. A replica's
 * own NOTIFYs come back to it and are dropped, so a local run is streamed once. Like the
 * events themselves, a NOTIFY is a hint: one lost while the LISTEN connection is down is not
 * replayed (the console refetches when its stream reconnects).
 */
@Injectable()
export class RunEventsRelay implements OnModuleDestroy {
  private readonly logger = new Logger(RunEventsRelay.name);
  /** This process's id in what it sends (tests forge a NOTIFY of "our own"). */
  readonly origin = randomUUID();
  private outbox: RunEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private wanted = false;
  private stopped = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs = BACKOFF_MIN_MS;
  /** Who gets the other replicas' runs (LiveEventsService). */
  onRemote: (event: RunEvent) => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Queues one of this replica's runs for the other replicas. */
  send(event: RunEvent): void {
    if (this.stopped) {
      return;
    }
    this.outbox.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** A stream opened: LISTEN (if not yet), resolved once listening or after a short wait. */
  async listen(): Promise<void> {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.wanted = true;
    if (this.client || this.stopped) {
      return;
    }
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, READY_TIMEOUT_MS);
    });
    await Promise.race([this.connecting, timeout]);
    clearTimeout(timer);
  }

  /** The last stream closed: stop listening a while later, unless another one opens. */
  idle(): void {
    clearTimeout(this.lingerTimer);
    if (this.stopped) {
      return;
    }
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.wanted = false;
      void this.disconnect();
    }, LINGER_MS);
    this.lingerTimer.unref();
  }

  private flush(): void {
    this.flushTimer = undefined;
    const payloads = chunk(this.origin, this.outbox.splice(0));
    this.sending = this.sending
      .then(() =>
        this.dataSource.query(`SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p`, [
          RUN_EVENTS_CHANNEL,
          payloads,
        ]),
      )
      .then(
        () => undefined,
        (e: Error) => this.logger.warn(`could not relay run events: ${e.message}`),
      );
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.database.url ?? undefined,
      application_name: 'job-scheduler-live-events',
      keepAlive: true,
    });
    client.on('notification', (msg) => this.receive(msg.payload));
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    } catch (e) {
      this.lost(client, e as Error);
      return;
    }
    if (this.stopped || !this.wanted) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = BACKOFF_MIN_MS;
  }

  private lost(client: pg.Client, error?: Error): void {
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.client && this.client !== client) {
      return;
    }
    this.client = undefined;
    if (this.stopped || !this.wanted || this.reconnectTimer) {
      return;
    }
    this.logger.warn(`LISTEN ${RUN_EVENTS_CHANNEL} lost${error ? `: ${error.message}` : ''}`);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wanted && !this.stopped && !this.client) {
        this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
      }
    }, delay);
    this.reconnectTimer.unref();
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }

  private receive(payload: string | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch {
      return;
    }
    if (envelope.o === this.origin || !Array.isArray(envelope.e)) {
      return;
    }
    for (const raw of envelope.e) {
      // The payload is a hint from the database: only known kinds, only their known fields.
      if (RUN_EVENT_KINDS.includes(raw?.kind) && raw.data && typeof raw.data === 'object') {
        this.onRemote(runEvent(raw.kind, raw.data));
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.lingerTimer);
    clearTimeout(this.reconnectTimer);
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flush();
    }
    await this.sending;
    await this.connecting;
    await this.disconnect();
  }
}

/** NOTIFY payloads of at most MAX_PAYLOAD bytes, each a whole envelope. */
export function chunk(origin: string, events: readonly RunEvent[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let size = 0;
  const head = `{"o":${JSON.stringify(origin)},"e":[`;
  for (const event of events) {
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json) + 1;
    if (batch.length > 0 && head.length + size + bytes + 2 > MAX_PAYLOAD) {
      payloads.push(`${head}${batch.join(',')}]}`);
      batch = [];
      size = 0;
    }
    batch.push(json);
    size += bytes;
  }
  if (batch.length > 0) {
    payloads.push(`${head}${batch.join(',')}]}`);
  }
  return payloads;
}
