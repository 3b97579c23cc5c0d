import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Channel, ChannelInput } from './channel.types.js';

const COLUMNS = `id, name, type, url, secret, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** notification_channels (owned by alerts). */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<Channel[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM notification_channels ORDER BY created_at DESC, id DESC`,
    );
  }

  async findById(id: string): Promise<Channel | null> {
    const rows: Channel[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM notification_channels WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insert(input: ChannelInput, em?: EntityManager): Promise<Channel> {
    const [row]: Channel[] = await (em ?? this.dataSource.manager).query(
      `INSERT INTO notification_channels (name, type, url, secret) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [input.name, input.type, input.url, input.secret],
    );
    return row;
  }

  async update(id: string, input: ChannelInput, em?: EntityManager): Promise<Channel | null> {
    const rows: [Channel[], number] = await (em ?? this.dataSource.manager).query(
      `UPDATE notification_channels SET name = $2, type = $3, url = $4, secret = $5,
         updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, input.name, input.type, input.url, input.secret],
    );
    return rows[0][0] ?? null;
  }

  /**
   * Deletes the channel unless a job still names it in its alerts; returns the deleted row, or
   * the names of the jobs in the way. The channel row is locked first, and the jobs check reads
   * committed rows, so a job saved meanwhile naming it is either seen or finds it gone.
   */
  async removeUnlessUsed(
    id: string,
    onDeleted?: (em: EntityManager, deleted: Channel) => Promise<void>,
  ): Promise<{ deleted: Channel | null; usedBy: string[] }> {
    return this.dataSource.transaction(async (em) => {
      const locked: Channel[] = await em.query(
        `SELECT ${COLUMNS} FROM notification_channels WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (locked.length === 0) {
        return { deleted: null, usedBy: [] };
      }
      const users: { name: string }[] = await em.query(
        `SELECT name FROM jobs WHERE alerts->'channels' ? $1::text ORDER BY name LIMIT 20`,
        [id],
      );
      if (users.length > 0) {
        return { deleted: null, usedBy: users.map((u) => u.name) };
      }
      await em.query(`DELETE FROM notification_channels WHERE id = $1`, [id]);
      await onDeleted?.(em, locked[0]);
      return { deleted: locked[0], usedBy: [] };
    });
  }

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  async missing(ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT x.id FROM unnest($1::uuid[]) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM notification_channels c WHERE c.id = x.id)`,
      [ids],
    );
    return rows.map((r) => r.id);
  }
}
