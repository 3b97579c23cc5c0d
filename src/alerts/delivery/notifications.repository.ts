import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WhereBuilder } from '../../core/database/where-builder.js';
import type {
  AttemptOutcome,
  ClaimedNotification,
  NotificationFilter,
  NotificationRow,
} from './notification.types.js';

const COLUMNS = `id, channel_id AS "channelId", job_id AS "jobId", event, payload, status, attempts,
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt",
  delivered_at AS "deliveredAt"`;

export interface AttemptRow {
  attempt: number;
  replicaId: string | null;
  startedAt: Date;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
}

/**
 * The outbox (notifications) and its attempt log (owned by alerts). The run ledger inserts the
 * job events in the outcome's transaction (executions/outcome-events.sql.ts); this repository
 * queues test sends, claims rows for delivery and records each attempt. Everything here runs on
 * the API's pool, never the scheduler's: delivering notifications must not take a connection a
 * slot claim or an outcome write is waiting for.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async enqueueTest(channelId: string, payload: Record<string, unknown>): Promise<string> {
    const [row]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO notifications (channel_id, event, payload) VALUES ($1, 'channel.test', $2)
       RETURNING id`,
      [channelId, JSON.stringify(payload)],
    );
    return row.id;
  }

  /**
   * Claims due rows for this replica: pending ones whose time has come, and rows another sender
   * claimed but did not settle within its lease (it died). SKIP LOCKED and the status change make
   * each claim exclusive; results are written only by the claimant (see settle).
   */
  async claim(replicaId: string, limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [ClaimedNotification[], number] = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM notifications
         WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
           AND (status = 'pending' OR claimed_until < now())
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE notifications n SET status = 'sending', claimed_by = $1, attempts = n.attempts + 1,
         claimed_until = now() + make_interval(secs => $3::double precision / 1000)
       FROM due, notification_channels c
       WHERE n.id = due.id AND c.id = n.channel_id
       RETURNING n.id, n.event, n.payload, n.attempts AS attempt, c.type AS "channelType", c.url,
         c.secret`,
      [replicaId, limit, leaseMs],
    );
    return rows;
  }

  /**
   * Records an attempt and the row's new state: delivered, pending again at `retryAt`, or failed
   * for good. Only while this replica still holds the claim; returns false when it lost it.
   */
  async settle(
    id: string,
    replicaId: string,
    outcome: AttemptOutcome,
    retryAt: Date | null,
  ): Promise<boolean> {
    const status = outcome.error === null ? 'delivered' : retryAt ? 'pending' : 'failed';
    const rows: unknown[] = await this.dataSource.query(
      `WITH u AS (
         UPDATE notifications SET status = $3::text,
           next_attempt_at = coalesce($4::timestamptz, next_attempt_at),
           last_error = $5::text, delivered_at = CASE WHEN $3::text = 'delivered' THEN now() END,
           claimed_by = NULL, claimed_until = NULL
         WHERE id = $1 AND claimed_by = $2 AND status = 'sending'
         RETURNING id, attempts
       )
       INSERT INTO notification_attempts
         (notification_id, attempt, replica_id, started_at, duration_ms, http_status, error)
       SELECT id, attempts, $2, $6, $7, $8, $5 FROM u RETURNING notification_id`,
      [
        id,
        replicaId,
        status,
        retryAt,
        outcome.error,
        outcome.startedAt,
        outcome.durationMs,
        outcome.httpStatus,
      ],
    );
    return rows.length > 0;
  }

  async search(
    filter: NotificationFilter,
    page: number,
    limit: number,
  ): Promise<{ items: NotificationRow[]; total: number }> {
    const w = new WhereBuilder();
    if (filter.channelId) {
      w.add(filter.channelId, (p) => `channel_id = ${p}::uuid`);
    }
    if (filter.jobId) {
      w.add(filter.jobId, (p) => `job_id = ${p}::uuid`);
    }
    if (filter.status) {
      w.add(filter.status, (p) => `status = ${p}`);
    }
    if (filter.event) {
      w.add(filter.event, (p) => `event = ${p}`);
    }
    const [items, [count]] = await Promise.all([
      this.dataSource.query<NotificationRow[]>(
        `SELECT ${COLUMNS} FROM notifications ${w.sql}
         ORDER BY created_at DESC, id DESC LIMIT ${w.next()} OFFSET ${w.next(2)}`,
        [...w.params, limit, (page - 1) * limit],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM notifications ${w.sql}`,
        w.params,
      ),
    ]);
    return { items, total: count.total };
  }

  async findById(id: string): Promise<NotificationRow | null> {
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM notifications WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  attemptsOf(id: string): Promise<AttemptRow[]> {
    return this.dataSource.query(
      `SELECT attempt, replica_id AS "replicaId", started_at AS "startedAt",
         duration_ms AS "durationMs", http_status AS "httpStatus", error
       FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt, id`,
      [id],
    );
  }
}
