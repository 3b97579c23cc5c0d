import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { WhereBuilder } from '../core/database/where-builder.js';

export interface AuditRow {
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  resourceType: string;
  resourceId: string;
  requestId: string | null;
  changes: { before: unknown; after: unknown };
}

export interface StoredAuditRow extends AuditRow {
  id: string;
  at: Date;
}

export interface AuditFilter {
  actor?: string;
  actorIsId?: boolean;
  actorType?: string;
  resourceType?: string;
  /** Left out (account and key changes, for callers who are not admins). */
  hiddenResourceTypes?: string[];
  resourceId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

const SELECT = `SELECT id, at, actor_type AS "actorType", actor_id AS "actorId",
  actor_name AS "actorName", action, resource_type AS "resourceType",
  resource_id AS "resourceId", request_id AS "requestId", changes FROM audit_log`;

/** Every audit_log statement. Rows are only ever inserted (and dropped by retention). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** All rows in one statement, inside the caller's transaction. */
  async insert(manager: EntityManager, rows: AuditRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await manager.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_name, action, resource_type,
         resource_id, request_id, changes)
       SELECT "actorType", "actorId", "actorName", action, "resourceType", "resourceId",
         "requestId", changes
       FROM jsonb_to_recordset($1::jsonb) AS x("actorType" varchar, "actorId" uuid,
         "actorName" varchar, action varchar, "resourceType" varchar, "resourceId" uuid,
         "requestId" varchar, changes jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Newest first, one row more than the page so the caller knows whether another page exists
   * without counting millions of rows. A time range prunes partitions.
   */
  list(filter: AuditFilter, page: number, limit: number): Promise<StoredAuditRow[]> {
    const where = new WhereBuilder();
    if (filter.actor !== undefined) {
      where.add(filter.actor, (p) =>
        filter.actorIsId ? `actor_id = ${p}::uuid` : `actor_name = ${p}`,
      );
    }
    if (filter.actorType !== undefined) {
      where.add(filter.actorType, (p) => `actor_type = ${p}`);
    }
    if (filter.resourceType !== undefined) {
      where.add(filter.resourceType, (p) => `resource_type = ${p}`);
    }
    if (filter.hiddenResourceTypes !== undefined) {
      where.add(filter.hiddenResourceTypes, (p) => `resource_type <> ALL(${p}::varchar[])`);
    }
    if (filter.resourceId !== undefined) {
      where.add(filter.resourceId, (p) => `resource_id = ${p}::uuid`);
    }
    if (filter.action !== undefined) {
      where.add(filter.action, (p) => `action = ${p}`);
    }
    if (filter.from !== undefined) {
      where.add(filter.from, (p) => `at >= ${p}`);
    }
    if (filter.to !== undefined) {
      where.add(filter.to, (p) => `at <= ${p}`);
    }
    return this.dataSource.query<StoredAuditRow[]>(
      `${SELECT} ${where.sql} ORDER BY at DESC, id DESC
       LIMIT ${where.next(1)} OFFSET ${where.next(2)}`,
      [...where.params, limit + 1, (page - 1) * limit],
    );
  }
}
