import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Channel, ChannelInput } from './channel.types.js';

const COLUMNS = `id, name, type, url, secret, version, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

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

  /** The row as updated; version and updated_at move only if something changed (a trigger). */
  async update(id: string, input: ChannelInput, em: EntityManager): Promise<Channel> {
    const rows: [Channel[], number] = await em.query(
      `UPDATE notification_channels SET name = $2, type = $3, url = $4, secret = $5
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, input.name, input.type, input.url, input.secret],
    );
    return rows[0][0];
  }

  /** The row, locked until the transaction of `em` ends. */
  async lock(id: string, em: EntityManager): Promise<Channel | null> {
    const rows: Channel[] = await em.query(
      `SELECT ${COLUMNS} FROM notification_channels WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The names of the jobs whose alerts name the channel (at most 20). With the channel row
   * locked first, and this reading committed rows, a job saved meanwhile naming it is either
   * seen here or finds the channel gone.
   */
  async usedBy(id: string, em: EntityManager): Promise<string[]> {
    const users: { name: string }[] = await em.query(
      `SELECT name FROM jobs WHERE alerts->'channels' ? $1::text ORDER BY name LIMIT 20`,
      [id],
    );
    return users.map((u) => u.name);
  }

  async remove(id: string, em: EntityManager): Promise<void> {
    await em.query(`DELETE FROM notification_channels WHERE id = $1`, [id]);
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
