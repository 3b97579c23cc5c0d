import { Inject, Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CalendarCache } from '../../calendars/calendar-cache.js';
import { EventBus } from '../../core/events/event-bus.js';
import { ReconcilerService } from './reconciler.service.js';

/** Notifications for the same ids within this window are reconciled together. */
const DEBOUNCE_MS = 25;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * LISTENs on `job_changed` over one dedicated, non-pooled connection. NOTIFY is sent on commit by
 * the jobs trigger, so this sees the API of every replica, bulk SQL and psql alike. Ids are
 * debounced and handed to the reconciler, which re-reads the rows (the payload is never trusted).
 * When the connection drops, notifications are lost: it reconnects with backoff and runs a full
 * reconcile. The same connection LISTENs on `calendar_changed` (the calendars trigger): an edited
 * calendar is marked stale in CalendarCache at once, and lost notifications mark all of them.
 */
@Injectable()
export class JobChangesListener {
  private readonly logger = new Logger(JobChangesListener.name);
  private client: pg.Client | undefined;
  private stopped = true;
  private backoffMs = BACKOFF_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly pendingIds = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly reconciler: ReconcilerService,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: CalendarCache,
  ) {}

  get listening(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.flushTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.work;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.database.url ?? undefined,
      application_name: 'job-scheduler-listen',
      keepAlive: true,
    });
    client.on('notification', (msg) =>
      msg.channel === 'calendar_changed'
        ? this.onCalendarChanged(msg.payload)
        : this.onNotification(msg.payload),
    );
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query('LISTEN job_changed');
      // An edited calendar re-plans the jobs excluding it: the next claim reloads it.
      await client.query('LISTEN calendar_changed');
    } catch (e) {
      await client.end().catch(() => undefined);
      this.lost(client, e as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = BACKOFF_MIN_MS;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.stopped || (this.client && this.client !== client) || this.reconnectTimer) {
      return;
    }
    this.client = undefined;
    this.logger.warn(`LISTEN connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect().then(() => {
        if (this.client) {
          // Changes made while we were away were not notified.
          this.calendars.invalidateAll();
          this.enqueue(() => this.reconciler.reconcileAll().then(() => undefined));
        }
      });
    }, delay);
  }

  private onNotification(payload: string | undefined): void {
    const id = payload?.split(':')[0];
    if (!id || !UUID.test(id)) {
      return;
    }
    this.pendingIds.add(id);
    this.flushTimer ??= setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** At once, not debounced: a claim deciding right after must not use the old calendar. */
  private onCalendarChanged(payload: string | undefined): void {
    const id = payload?.split(':')[0];
    if (id && UUID.test(id)) {
      this.calendars.invalidate(id);
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    const ids = [...this.pendingIds];
    this.pendingIds.clear();
    this.events.publish('jobs.changed', { jobIds: ids });
    this.enqueue(() => this.reconciler.reconcileMany(ids));
  }

  /** Reconciles run one at a time, in arrival order. */
  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((e: Error) => {
      this.logger.warn(`reconcile after job change failed: ${e.message}`);
    });
  }
}
