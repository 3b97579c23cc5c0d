import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The scheduler_replicas table: one row per replica id, its heartbeat and its stop. */
@Injectable()
export class ReplicasRepository {
  constructor(private readonly dataSource: DataSource) {}

  async beat(id: string, hostname: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO scheduler_replicas (id, hostname) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL,
         hostname = EXCLUDED.hostname`,
      [id, hostname],
    );
  }

  async markStopped(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scheduler_replicas SET stopped_at = now(), heartbeat_at = now() WHERE id = $1`,
      [id],
    );
  }
}
