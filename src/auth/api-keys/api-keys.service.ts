import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { AppError } from '../../core/errors/app-error.js';
import { currentRequest, type AuthUser } from '../../core/http/request-context.js';
import { Clock } from '../../core/time/clock.js';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';

/** `sk_<8 hex>_<43 base64url>`: the prefix names the key in lists and logs, the rest is secret. */
const API_KEY = /^(sk_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
const LAST_USED_EVERY_MS = 60_000;

export const isApiKey = (token: string): boolean => API_KEY.test(token);

/**
 * SHA-256, unkeyed and unsalted: the key carries 256 random bits, so unlike a password it cannot
 * be guessed from its hash by trying candidates, and a slow hash (bcrypt) would only cost every
 * request ~100 ms. A plain hash also lets the lookup be one indexed equality.
 */
const hashOf = (key: string): string => createHash('sha256').update(key).digest('hex');

export class ApiKeyNotFoundError extends AppError {
  constructor(id: string) {
    super('NOT_FOUND', `No live API key ${id}`);
  }
}

/** The public fields of a key, as the audit trail and the API show them. */
export const publicFields = (k: ApiKeyRow): Record<string, unknown> => ({
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
});

/**
 * API keys for machines. Keys are not cached: every request reads its key by hash (one indexed
 * row), so a revocation or an expiry applies to the next request on every replica, with no
 * cross-replica invalidation to get wrong. `lastUsedAt` is written at most once a minute.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger('ApiKeys');
  /** One lookup per request, shared by the throttler and the auth guard. */
  private readonly resolved = new WeakMap<object, Promise<AuthUser | null>>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateApiKeyDto): Promise<{ row: ApiKeyRow; key: string }> {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    for (;;) {
      const prefix = `sk_${randomBytes(4).toString('hex')}`;
      const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
      const row = await this.dataSource.transaction(async (m) => {
        const created = await this.keys.insert(
          m,
          { name: dto.name, prefix, hash: hashOf(key), role: dto.role, expiresAt },
          currentRequest()?.user?.sub ?? null,
        );
        if (created) {
          await this.audit.record(m, {
            action: 'api_key.create',
            resourceType: 'api_key',
            resourceId: created.id,
            after: publicFields(created),
          });
        }
        return created;
      });
      if (row) {
        this.logger.log(`API key ${row.prefix} ("${row.name}", ${row.role}) created`);
        return { row, key };
      }
    }
  }

  list(): Promise<ApiKeyRow[]> {
    return this.keys.list();
  }

  async revoke(id: string): Promise<ApiKeyRow> {
    const row = await this.dataSource.transaction(async (m) => {
      const revoked = await this.keys.revoke(m, id);
      if (revoked) {
        await this.audit.record(m, {
          action: 'api_key.revoke',
          resourceType: 'api_key',
          resourceId: id,
          before: { ...publicFields(revoked), revokedAt: null },
          after: publicFields(revoked),
        });
      }
      return revoked;
    });
    if (!row) {
      throw new ApiKeyNotFoundError(id);
    }
    this.logger.log(`API key ${row.prefix} revoked`);
    return row;
  }

  /** The caller an API key stands for, or null (unknown, revoked, expired); once per request. */
  forRequest(req: object, token: string): Promise<AuthUser | null> {
    let found = this.resolved.get(req);
    if (!found) {
      found = this.authenticate(token);
      this.resolved.set(req, found);
    }
    return found;
  }

  private async authenticate(token: string): Promise<AuthUser | null> {
    if (!isApiKey(token)) {
      return null;
    }
    const row = await this.keys.findUsable(hashOf(token));
    if (!row) {
      return null;
    }
    const last = row.lastUsedAt?.getTime() ?? 0;
    if (this.clock.nowMs() - last >= LAST_USED_EVERY_MS) {
      void this.keys.touch(row.id).catch((e: Error) => {
        this.logger.warn(`lastUsedAt of ${row.prefix} not written: ${e.message}`);
      });
    }
    return { sub: row.id, username: row.name, role: row.role, apiKeyPrefix: row.prefix };
  }
}
