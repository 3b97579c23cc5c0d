import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgQuery } from '../core/database/pg-query.js';
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
export interface RecentExecutionsRow {
  /** Executions still running on any replica. */
  runningExecutions: number;
  /** Executions started in the last 24 hours. */
  recentExecutions: number;
  /** Mean duration of the runs of the last 24 hours that have finished; null when none. */
  averageDurationMs: number | null;
}

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

  /**
   * Running count through the partial index on running rows; the 24 h figures scan only the
   * newest partition(s) by `started_at`.
   */
  async recentFigures(): Promise<RecentExecutionsRow> {
    const rows = await this.dataSource.query<
      { running: number; recent: number; avg: string | null }[]
    >(`
      SELECT (SELECT count(*)::int FROM job_executions WHERE status = 'running') AS running,
             count(*)::int AS recent,
             avg(duration_ms) FILTER (WHERE completed_at IS NOT NULL) AS avg
        FROM job_executions
       WHERE started_at >= now() - interval '24 hours'`);
    const { running, recent, avg } = rows[0];
    return {
      runningExecutions: running,
      recentExecutions: recent,
      averageDurationMs: avg === null ? null : Number(avg),
    };
  }
}
