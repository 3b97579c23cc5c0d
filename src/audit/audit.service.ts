import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { currentRequest } from '../core/http/request-context.js';
import { auditChanges, isEmptyChange } from './audit-diff.js';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit.repository.js';
import type { AuditActor, AuditEntry } from './audit.types.js';
import type { AuditListResponseDto, AuditQueryDto } from './dto/audit.dto.js';

/** The service itself: boot-time changes, and any change made outside a request. */
export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, name: 'system' };

/** Resource types only admins may read in the audit trail (they name accounts and keys). */
const ADMIN_RESOURCES = ['user', 'api_key'];

/** The caller of the request being served, as the audit trail names it. */
export function currentActor(): AuditActor {
  const user = currentRequest()?.user;
  if (!user) {
    return SYSTEM_ACTOR;
  }
  return user.apiKeyPrefix
    ? { type: 'api_key', id: user.sub, name: user.apiKeyPrefix }
    : { type: 'user', id: user.sub, name: user.username };
}

/**
 * The audit trail. Call `record(manager, entry)` with the EntityManager of the transaction that
 * makes the change, so the row commits or rolls back with it:
 *
 *   await this.dataSource.transaction(async (m) => {
 *     const before = ...; const after = ...;   // the resource as the API shows it
 *     await this.audit.record(m, { action: 'calendar.update', resourceType: 'calendar',
 *       resourceId: id, before, after });
 *   });
 *
 * Actor and request id come from the request being served (system when there is none).
 */
@Injectable()
export class AuditService {
  constructor(private readonly rows: AuditRepository) {}

  record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    return this.recordMany(manager, [entry]);
  }

  /** One statement for many entries (a bulk operation's rows). */
  async recordMany(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    const request = currentRequest();
    const requestId = typeof request?.id === 'string' ? request.id : null;
    const rows: AuditRow[] = [];
    for (const e of entries) {
      const changes = auditChanges(e.before, e.after);
      if (e.always === false && isEmptyChange(changes)) {
        continue;
      }
      const actor = e.actor ?? currentActor();
      rows.push({
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        action: e.action,
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        requestId,
        changes,
      });
    }
    await this.rows.insert(manager, rows);
  }

  /** GET /api/audit (and a resource's own trail when `resourceId` is set). */
  async list(
    query: AuditQueryDto,
    scope: Partial<AuditFilter> = {},
  ): Promise<AuditListResponseDto> {
    const isAdmin = currentRequest()?.user?.role === 'admin';
    const filter: AuditFilter = {
      actor: query.actor,
      actorIsId: query.actor !== undefined && isUUID(query.actor),
      actorType: query.actorType,
      resourceType: query.resourceType,
      action: query.action,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      ...scope,
    };
    if (!isAdmin) {
      filter.hiddenResourceTypes = ADMIN_RESOURCES;
    }
    const rows = await this.rows.list(filter, query.page, query.limit);
    return {
      entries: rows.slice(0, query.limit).map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { type: r.actorType as AuditActor['type'], id: r.actorId, name: r.actorName },
        action: r.action,
        resourceType: r.resourceType,
        resourceId: r.resourceId,
        requestId: r.requestId,
        before: (r.changes.before ?? null) as Record<string, unknown> | null,
        after: (r.changes.after ?? null) as Record<string, unknown> | null,
      })),
      pagination: {
        page: query.page,
        limit: query.limit,
        hasNext: rows.length > query.limit,
        hasPrev: query.page > 1,
      },
    };
  }
}
