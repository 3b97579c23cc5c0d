import { Injectable } from '@nestjs/common';
import { toPagination } from '../core/http/pagination.dto.js';
import { ValidationFailedError } from '../core/errors/app-error.js';
import type { ExecutionListResponseDto, ExecutionResponseDto } from './dto/execution.response.js';
import type { ListExecutionsQueryDto } from './dto/list-executions.query.js';
import { toExecutionResponse } from './execution.mapper.js';
import { ExecutionNotFoundError } from './executions.errors.js';
import type { ExecutionFilter } from './execution.queries.js';
import { ExecutionsRepository, type RecentExecutionsRow } from './executions.repository.js';

@Injectable()
export class ExecutionsService {
  constructor(private readonly executions: ExecutionsRepository) {}

  async list(query: ListExecutionsQueryDto): Promise<ExecutionListResponseDto> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) {
      throw new ValidationFailedError([{ field: 'from', message: 'from must not be after to' }]);
    }
    return this.page(
      {
        jobId: query.jobId,
        status: query.status,
        final: query.final === undefined ? undefined : query.final === 'true',
        from,
        to,
      },
      query.page,
      query.limit,
    );
  }

  /** One page of history; callers check that the job exists. */
  async page(
    filter: ExecutionFilter,
    page: number,
    limit: number,
  ): Promise<ExecutionListResponseDto> {
    const { items, total } = await this.executions.search(filter, page, limit);
    return {
      executions: items.map(toExecutionResponse),
      pagination: toPagination(page, limit, total),
    };
  }

  async latestForJob(jobId: string, count: number): Promise<ExecutionResponseDto[]> {
    return (await this.executions.latestForJob(jobId, count)).map(toExecutionResponse);
  }

  /** Running executions (every replica) and the last 24 h: count and mean duration. */
  recentFigures(): Promise<RecentExecutionsRow> {
    return this.executions.recentFigures();
  }

  async get(id: string): Promise<ExecutionResponseDto> {
    const found = await this.executions.findById(id);
    if (!found) {
      throw new ExecutionNotFoundError();
    }
    return toExecutionResponse(found);
  }
}
