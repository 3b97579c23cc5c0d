import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AdvisoryLock } from '../../core/database/advisory-lock.js';
import { Clock } from '../../core/time/clock.js';

const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 2000;
/** A heartbeat that takes longer than this means the connection is gone (a partition). */
const QUERY_TIMEOUT_MS = 5000;
/**
 * Server-side TCP keepalive of the liveness session. When a network partition cuts a replica off
 * without a FIN or RST, PostgreSQL ends its session (and so releases its lock) after about
 * idle + interval × count = 5 + 2 × 3 = 11 s; the replica's other runs are then recovered.
 */
const SERVER_KEEPALIVE_SQL = `SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2;
  SET tcp_keepalives_count = 3`;

/**
 * This replica's liveness session: one dedicated connection that holds the advisory lock
 * `(ReplicaSession, hashtext(replica id))` for the replica's whole life and writes its heartbeat
 * row. PostgreSQL releases the lock the instant the process or the connection dies, which is how
 * the other replicas see a kill -9 within a sweep (ExecutionLedgerRepository.closeLost) instead of
 * after WORKER_LOST_AFTER_MS. While the session is down the replica claims nothing (the others
 * would rightly treat its new runs as orphans); it reconnects with backoff and takes the lock
 * again. Needs a direct session (no transaction-pooling proxy), as LISTEN does.
 */
@Injectable()
export class ReplicaSession {
  private readonly logger = new Logger(ReplicaSession.name);
  private client: pg.Client | undefined;
  private connecting: Promise<boolean> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs = BACKOFF_MIN_MS;
  private stopped = true;
  /** Since when the lock has been held and the heartbeat written without a break. */
  private upSinceMs: number | null = null;
  private lastBeatMs: number | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The lock is held and the last heartbeat was written: this replica may claim. */
  get healthy(): boolean {
    return this.upSinceMs !== null;
  }

  /** How long the session has been up without a break (0 while down). */
  steadyForMs(): number {
    return this.upSinceMs === null ? 0 : this.clock.nowMs() - this.upSinceMs;
  }

  ageMs(): number | null {
    return this.lastBeatMs === null ? null : this.clock.nowMs() - this.lastBeatMs;
  }

  /** Opens the session (once) and keeps it open; resolves when healthy or after `timeoutMs`. */
  async open(timeoutMs = Infinity): Promise<boolean> {
    if (this.stopped) {
      this.stopped = false;
      void this.connect();
    }
    if (this.healthy) {
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((r) => this.waiters.push(r)),
      ...(Number.isFinite(timeoutMs)
        ? [new Promise((r) => (timer = setTimeout(r, timeoutMs)))]
        : []),
    ]);
    clearTimeout(timer);
    return this.healthy;
  }

  /** Writes a heartbeat on the session; a failure drops the session (and reconnects). */
  async beat(): Promise<void> {
    const client = this.client;
    if (!client) {
      return;
    }
    try {
      await this.beatOn(client);
    } catch (e) {
      this.lost(client, e as Error);
      throw e;
    }
  }

  /** Marks the replica stopped and ends the session (which releases the lock). */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.waiters.splice(0).forEach((w) => w());
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    this.upSinceMs = null;
    if (!client) {
      return;
    }
    client.removeAllListeners('end');
    try {
      await client.query(
        `UPDATE scheduler_replicas SET stopped_at = now(), heartbeat_at = now() WHERE id = $1`,
        [this.config.scheduler.replicaId],
      );
    } catch (e) {
      this.logger.warn(`could not mark replica stopped: ${(e as Error).message}`);
    }
    await client.end().catch(() => undefined);
  }

  private connect(): Promise<boolean> {
    this.connecting ??= this.tryConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async tryConnect(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.config.database.url ?? undefined,
      application_name: 'job-scheduler-liveness',
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
      connectionTimeoutMillis: QUERY_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(SERVER_KEEPALIVE_SQL);
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`,
        [AdvisoryLock.ReplicaSession, this.config.scheduler.replicaId],
      );
      if (!rows[0].locked) {
        throw new Error(
          `the session lock of replica ${this.config.scheduler.replicaId} is held by another ` +
            'session (a second process with this REPLICA_ID, or our previous connection that ' +
            'the server has not dropped yet)',
        );
      }
      await this.beatOn(client);
    } catch (e) {
      this.logger.warn(`liveness session not open: ${(e as Error).message}; retrying`);
      client.removeAllListeners('end');
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
      return false;
    }
    if (this.stopped) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return false;
    }
    this.client = client;
    this.upSinceMs = this.clock.nowMs();
    this.backoffMs = BACKOFF_MIN_MS;
    this.waiters.splice(0).forEach((w) => w());
    return true;
  }

  private async beatOn(client: pg.Client): Promise<void> {
    await client.query(
      `INSERT INTO scheduler_replicas (id, hostname, session_lock) VALUES ($1, $2, true)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL,
         hostname = EXCLUDED.hostname, session_lock = true`,
      [this.config.scheduler.replicaId, hostname()],
    );
    this.lastBeatMs = this.clock.nowMs();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) {
      return;
    }
    this.client = undefined;
    this.upSinceMs = null;
    this.logger.warn(`liveness session lost${error ? `: ${error.message}` : ''}; reconnecting`);
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) {
      return;
    }
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }
}
