import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entitySelectList, WhereBuilder } from '../core/database/entity-select.js';
import { ExecutionEntity, type ExecutionStatus } from './execution.entity.js';

export interface ExecutionFilter {
  jobId?: string;
  status?: ExecutionStatus;
  from?: Date;
  to?: Date;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Reads of execution history. Newest first with id as tie-break, so the (job_id, started_at DESC)
 * and (started_at DESC) indexes serve the order; writes belong to the scheduler.
 */
@Injectable()
export class ExecutionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private columns?: string;

  /** Every column as its property name (see entitySelectList), built on first use. */
  private get selectList(): string {
    return (this.columns ??= entitySelectList(this.dataSource, ExecutionEntity));
  }

  private where(filter: ExecutionFilter): WhereBuilder {
    const where = new WhereBuilder();
    if (filter.jobId) {
      where.add(filter.jobId, (p) => `job_id = ${p}`);
    }
    if (filter.status) {
      where.add(filter.status, (p) => `status = ${p}`);
    }
    if (filter.from) {
      where.add(filter.from, (p) => `started_at >= ${p}`);
    }
    if (filter.to) {
      where.add(filter.to, (p) => `started_at <= ${p}`);
    }
    return where;
  }

  /** Plain SQL, as bench/lib/floor-sql.ts runs it: exact count(*) and page at the same time. */
  async search(
    filter: ExecutionFilter,
    page: number,
    limit: number,
  ): Promise<Page<ExecutionEntity>> {
    const where = this.where(filter);
    const [items, count] = await Promise.all([
      this.dataSource.query<ExecutionEntity[]>(
        `SELECT ${this.selectList} FROM job_executions ${where.sql}
          ORDER BY started_at DESC, id DESC LIMIT ${where.next(1)} OFFSET ${where.next(2)}`,
        [...where.params, limit, (page - 1) * limit],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM job_executions ${where.sql}`,
        where.params,
      ),
    ]);
    return { items, total: count[0].total };
  }

  latestForJob(jobId: string, count: number): Promise<ExecutionEntity[]> {
    return this.dataSource.query<ExecutionEntity[]>(
      `SELECT ${this.selectList} FROM job_executions WHERE job_id = $1
        ORDER BY started_at DESC, id DESC LIMIT $2`,
      [jobId, count],
    );
  }

  findById(id: string): Promise<ExecutionEntity | null> {
    return this.dataSource.getRepository(ExecutionEntity).findOneBy({ id });
  }
}
