import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type QueryDeepPartialEntity,
  type Repository,
} from 'typeorm';
import { entitySelectList } from '../core/database/entity-select.js';
import { WhereBuilder } from '../core/database/where-builder.js';
import type { JobDefinition } from './job-definition.js';
import { JobEntity, type JobType } from './job.entity.js';

export interface JobSearch {
  search?: string;
  jobType?: JobType;
  isActive?: boolean;
  /** A job matches when it carries all of these tags. */
  tags?: string[];
}

export interface JobStatsRow {
  totalJobs: number;
  activeJobs: number;
  scheduled: number;
  immediate: number;
  recurring: number;
  delayed: number;
  totalExecutions: number;
  successfulExecutions: number;
  failedExecutions: number;
}

/** Figures read from the execution history itself (the original's dashboard shows them). */

/** `%`, `_` and `\` are LIKE metacharacters; escaped, the user's text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * TypeORM's deep-partial type cannot see that a JSON object column takes a plain object.
 * `nextRunAt` undefined leaves the column alone (the scheduler may have advanced it meanwhile).
 */
function row(def: JobDefinition, nextRunAt?: Date | null): QueryDeepPartialEntity<JobEntity> {
  return (
    nextRunAt === undefined ? { ...def } : { ...def, nextRunAt }
  ) as QueryDeepPartialEntity<JobEntity>;
}

/** $1 until, $2 limit (bench/console.ts runs the same text). */
export const soonestDueSql = (selectList: string): string =>
  `SELECT ${selectList} FROM jobs
    WHERE is_active AND next_run_at IS NOT NULL AND next_run_at < $1
    ORDER BY next_run_at LIMIT $2`;

/** Every SQL the jobs API runs. Counters are never written here (the scheduler owns them). */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<JobEntity> {
    return (manager ?? this.dataSource.manager).getRepository(JobEntity);
  }

  private columns?: string;

  /** Every column as its property name (see entitySelectList), built on first use. */
  private get selectList(): string {
    return (this.columns ??= entitySelectList(this.dataSource, JobEntity));
  }

  /**
   * Newest first; name/description ILIKE is served by the trigram indexes, tags by GIN. Plain
   * SQL (bench/lib/floor-sql.ts runs the same statements): the exact count(*) and the page go to
   * two pool connections at once, the count being the slower half on a large table.
   */
  async search(
    filter: JobSearch,
    page: number,
    limit: number,
  ): Promise<{ items: JobEntity[]; total: number }> {
    const where = new WhereBuilder();
    if (filter.search) {
      where.add(
        likePattern(filter.search),
        (p) => `(name ILIKE ${p} ESCAPE '\\' OR description ILIKE ${p} ESCAPE '\\')`,
      );
    }
    if (filter.jobType) {
      where.add(filter.jobType, (p) => `job_type = ${p}`);
    }
    if (filter.isActive !== undefined) {
      where.add(filter.isActive, (p) => `is_active = ${p}`);
    }
    if (filter.tags && filter.tags.length > 0) {
      where.add(filter.tags, (p) => `tags @> CAST(${p} AS text[])`);
    }
    const [count, items] = await Promise.all([
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM jobs ${where.sql}`,
        where.params,
      ),
      this.dataSource.query<JobEntity[]>(
        `SELECT ${this.selectList} FROM jobs ${where.sql}
          ORDER BY created_at DESC, id DESC LIMIT ${where.next(1)} OFFSET ${where.next(2)}`,
        [...where.params, limit, (page - 1) * limit],
      ),
    ]);
    return { items, total: count[0].total };
  }

  async findById(id: string, manager?: EntityManager): Promise<JobEntity | null> {
    const rows = await (manager ?? this.dataSource.manager).query<JobEntity[]>(
      `SELECT ${this.selectList} FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The row, locked FOR UPDATE until the transaction of `manager` ends. */
  async findForUpdate(id: string, manager: EntityManager): Promise<JobEntity | null> {
    const rows = await manager.query<JobEntity[]>(
      `SELECT ${this.selectList} FROM jobs WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insert(def: JobDefinition, nextRunAt: Date | null): Promise<string> {
    const result = await this.repo().insert(row(def, nextRunAt));
    return (result.identifiers[0] as { id: string }).id;
  }

  async update(
    id: string,
    def: JobDefinition,
    nextRunAt: Date | null | undefined,
    manager?: EntityManager,
  ): Promise<boolean> {
    const result = await this.repo(manager).update({ id }, row(def, nextRunAt));
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the job (its history goes by cascade) and returns the row as it was, or null. */
  async remove(id: string): Promise<JobEntity | null> {
    // TypeORM answers a DELETE … RETURNING as [rows, rowCount].
    const [rows] = await this.dataSource.query<[JobEntity[], number]>(
      `DELETE FROM jobs WHERE id = $1 RETURNING ${this.selectList}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Locks the existing rows among `ids` for the rest of the transaction. */
  lockMany(ids: string[], manager: EntityManager): Promise<JobEntity[]> {
    return manager.query<JobEntity[]>(
      `SELECT ${this.selectList} FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
  }

  async activate(id: string, nextRunAt: Date | null, manager: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { isActive: true, nextRunAt });
  }

  async deactivateMany(ids: string[], manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE jobs SET is_active = false, next_run_at = NULL WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async deleteMany(ids: string[], manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM jobs WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The active jobs due soonest, at most `limit`, whose next slot is before `until`: an index scan
   * of ix_jobs_due that stops after `limit` rows, whatever the number of jobs.
   */
  soonestDue(until: Date, limit: number): Promise<JobEntity[]> {
    return this.dataSource.query<JobEntity[]>(soonestDueSql(this.selectList), [until, limit]);
  }

  /** One pass over jobs with COUNT FILTER; execution numbers are sums of the SQL-kept counters. */
  async stats(): Promise<JobStatsRow> {
    const rows = await this.dataSource.query<Record<keyof JobStatsRow, string>[]>(`
      SELECT count(*) AS "totalJobs",
             count(*) FILTER (WHERE is_active) AS "activeJobs",
             count(*) FILTER (WHERE job_type = 'scheduled') AS "scheduled",
             count(*) FILTER (WHERE job_type = 'immediate') AS "immediate",
             count(*) FILTER (WHERE job_type = 'recurring') AS "recurring",
             count(*) FILTER (WHERE job_type = 'delayed') AS "delayed",
             coalesce(sum(total_runs), 0) AS "totalExecutions",
             coalesce(sum(successful_runs), 0) AS "successfulExecutions",
             coalesce(sum(failed_runs), 0) AS "failedExecutions"
        FROM jobs`);
    const row = rows[0];
    return Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, Number(v)]),
    ) as unknown as JobStatsRow;
  }
}
