import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { countRows } from '../core/database/count-rows.js';
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

  private filtered(filter: ExecutionFilter): SelectQueryBuilder<ExecutionEntity> {
    const qb = this.dataSource.getRepository(ExecutionEntity).createQueryBuilder('e');
    if (filter.jobId) {
      qb.andWhere('e.job_id = :jobId', { jobId: filter.jobId });
    }
    if (filter.status) {
      qb.andWhere('e.status = :status', { status: filter.status });
    }
    if (filter.from) {
      qb.andWhere('e.started_at >= :from', { from: filter.from });
    }
    if (filter.to) {
      qb.andWhere('e.started_at <= :to', { to: filter.to });
    }
    return qb;
  }

  async search(
    filter: ExecutionFilter,
    page: number,
    limit: number,
  ): Promise<Page<ExecutionEntity>> {
    const [items, total] = await Promise.all([
      this.filtered(filter)
        .orderBy('e.started_at', 'DESC')
        .addOrderBy('e.id', 'DESC')
        .offset((page - 1) * limit)
        .limit(limit)
        .getMany(),
      countRows(this.filtered(filter)),
    ]);
    return { items, total };
  }

  latestForJob(jobId: string, count: number): Promise<ExecutionEntity[]> {
    return this.filtered({ jobId })
      .orderBy('e.started_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(count)
      .getMany();
  }

  findById(id: string): Promise<ExecutionEntity | null> {
    return this.dataSource.getRepository(ExecutionEntity).findOneBy({ id });
  }
}
