import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../roles.decorator.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = `id, name, prefix, role, created_by AS "createdBy", created_at AS "createdAt",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/** Every api_keys statement. The key itself is never stored, only its SHA-256. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Null when the prefix is taken (one chance in four billion per existing key: retry). */
  async insert(
    m: EntityManager,
    key: { name: string; prefix: string; hash: string; role: Role; expiresAt: Date | null },
    createdBy: string | null,
  ): Promise<ApiKeyRow | null> {
    const rows: ApiKeyRow[] = await m.query(
      `INSERT INTO api_keys (name, prefix, key_hash, role, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [key.name, key.prefix, key.hash, key.role, key.expiresAt, createdBy],
    );
    return rows[0] ?? null;
  }

  list(): Promise<ApiKeyRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id`);
  }

  /** The live key with this hash: not revoked, not expired (by the database's clock). */
  async findUsable(hash: string): Promise<ApiKeyRow | null> {
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM api_keys
       WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** Revokes a live key; null when unknown or already revoked. */
  async revoke(m: EntityManager, id: string): Promise<ApiKeyRow | null> {
    const [rows]: [ApiKeyRow[], number] = await m.query(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL
       RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** At most one write a minute per key, whichever replica serves it (the WHERE decides). */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')`,
      [id],
    );
  }
}
