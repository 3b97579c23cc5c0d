import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { countOrNull, pgQuery } from '../core/database/pg-query.js';
import type { ExecutionEntity } from './execution.entity.js';
import {
  byIdQuery,
  countQuery,
  type ExecutionFilter,
  pageQuery,
  totalFromPage,
} from './execution.queries.js';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Reads of execution history as named statements (see execution.queries.ts). Newest first with
 * id as tie-break, so the (job_id, started_at DESC) and (started_at DESC) indexes serve the
 * order; writes belong to the scheduler.
 */
@Injectable()
export class ExecutionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page and the exact total; the count runs only when the page does not prove the total. */
  async search(
    filter: ExecutionFilter,
    page: number,
    limit: number,
  ): Promise<Page<ExecutionEntity>> {
    const offset = (page - 1) * limit;
    const items = await pgQuery<ExecutionEntity>(this.dataSource, pageQuery(filter, offset, limit));
    const known = totalFromPage(offset, limit, items.length);
    if (known !== null) {
      return { items, total: known };
    }
    const [row] = await pgQuery<{ total: string }>(this.dataSource, countQuery(filter));
    return { items, total: Number(row.total) };
  }

  latestForJob(jobId: string, count: number): Promise<ExecutionEntity[]> {
    return pgQuery<ExecutionEntity>(this.dataSource, pageQuery({ jobId }, 0, count));
  }

  async findById(id: string): Promise<ExecutionEntity | null> {
    const [row] = await pgQuery<ExecutionEntity>(this.dataSource, byIdQuery(id));
    return row ?? null;
  }

  /** Runs waiting in job_pending_runs (retries, recovery re-runs, catch-ups); null if unreachable. */
  pendingRuns(): Promise<number | null> {
    return countOrNull(this.dataSource, 'SELECT count(*)::int AS n FROM job_pending_runs');
  }
}
