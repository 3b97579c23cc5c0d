import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StoredRequest {
  state: 'pending' | 'done';
  requestHash: string;
  statusCode: number | null;
  response: string | null;
}

/** Every idempotency_keys statement. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the key for this request, atomically: inserts it as `pending`, or takes over a row
   * that expired or whose owner stopped without finishing (locked_until passed). The primary key
   * decides between concurrent requests; the losers see the winner's row. True when taken.
   */
  async claim(caller: string, key: string, hash: string, lockMs: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys AS k (caller, key, request_hash, state, locked_until, expires_at)
       VALUES ($1, $2, $3, 'pending', now() + $4 * interval '1 millisecond',
               now() + interval '24 hours')
       ON CONFLICT (caller, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'pending', status_code = NULL,
             response = NULL, created_at = now(), locked_until = EXCLUDED.locked_until,
             expires_at = EXCLUDED.expires_at
         WHERE k.expires_at <= now() OR (k.state = 'pending' AND k.locked_until <= now())
       RETURNING 1`,
      [caller, key, hash, lockMs],
    );
    return rows.length === 1;
  }

  async find(caller: string, key: string): Promise<StoredRequest | null> {
    const rows: StoredRequest[] = await this.dataSource.query(
      `SELECT state, request_hash AS "requestHash", status_code AS "statusCode", response
       FROM idempotency_keys WHERE caller = $1 AND key = $2 AND expires_at > now()`,
      [caller, key],
    );
    return rows[0] ?? null;
  }

  /** Stores the first response; repeats of the key get it for the rest of the 24 h. */
  async complete(caller: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'done', status_code = $3, response = $4
       WHERE caller = $1 AND key = $2 AND state = 'pending'`,
      [caller, key, statusCode, response],
    );
  }

  /** The request failed: the key is free again, so a retry runs anew. */
  async release(caller: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND state = 'pending'`,
      [caller, key],
    );
  }
}
