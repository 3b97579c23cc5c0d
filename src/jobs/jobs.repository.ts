import { Injectable } from '@nestjs/common';
import {
  Brackets,
  DataSource,
  type EntityManager,
  type QueryDeepPartialEntity,
  type Repository,
} from 'typeorm';
import { countRows } from '../core/database/count-rows.js';
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

/** Every SQL the jobs API runs. Counters are never written here (the scheduler owns them). */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<JobEntity> {
    return (manager ?? this.dataSource.manager).getRepository(JobEntity);
  }

  /** Newest first; name/description ILIKE is served by the trigram indexes, tags by GIN. */
  async search(
    filter: JobSearch,
    page: number,
    limit: number,
  ): Promise<{ items: JobEntity[]; total: number }> {
    const qb = this.repo().createQueryBuilder('j');
    if (filter.search) {
      const pattern = likePattern(filter.search);
      qb.andWhere(
        new Brackets((b) => {
          b.where(`j.name ILIKE :pattern ESCAPE '\\'`, { pattern }).orWhere(
            `j.description ILIKE :pattern ESCAPE '\\'`,
            { pattern },
          );
        }),
      );
    }
    if (filter.jobType) {
      qb.andWhere('j.job_type = :jobType', { jobType: filter.jobType });
    }
    if (filter.isActive !== undefined) {
      qb.andWhere('j.is_active = :isActive', { isActive: filter.isActive });
    }
    if (filter.tags && filter.tags.length > 0) {
      qb.andWhere('j.tags @> CAST(:tags AS text[])', { tags: filter.tags });
    }
    // Two pool connections at once: the exact count is the slower half on a large table.
    const [total, items] = await Promise.all([
      countRows(qb),
      qb
        .clone()
        .orderBy('j.created_at', 'DESC')
        .addOrderBy('j.id', 'DESC')
        .offset((page - 1) * limit)
        .limit(limit)
        .getMany(),
    ]);
    return { items, total };
  }

  findById(id: string, manager?: EntityManager): Promise<JobEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  /** The row, locked FOR UPDATE until the transaction of `manager` ends. */
  findForUpdate(id: string, manager: EntityManager): Promise<JobEntity | null> {
    return this.repo(manager)
      .createQueryBuilder('j')
      .where('j.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
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

  async remove(id: string): Promise<boolean> {
    const result = await this.repo().delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Locks the existing rows among `ids` for the rest of the transaction. */
  lockMany(ids: string[], manager: EntityManager): Promise<JobEntity[]> {
    return this.repo(manager)
      .createQueryBuilder('j')
      .where('j.id = ANY(CAST(:ids AS uuid[]))', { ids })
      .setLock('pessimistic_write')
      .getMany();
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
