import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsUUID } from 'class-validator';
import { PaginationQueryDto } from '../../core/http/pagination.dto.js';
import { IsOmittable } from '../../core/http/validators.js';
import type { ExecutionStatus } from '../execution.entity.js';
import { EXECUTION_STATUSES } from './execution.response.js';

/** GET /api/jobs/{id}/executions query. */
export class JobExecutionsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: EXECUTION_STATUSES })
  @IsOmittable()
  @IsIn(EXECUTION_STATUSES)
  status?: ExecutionStatus;
}

/** GET /api/executions query; `from`/`to` bound started_at (inclusive). */
export class ListExecutionsQueryDto extends JobExecutionsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOmittable()
  @IsUUID('all')
  jobId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'true: runs that failed for good (failed or timed out, no retry left): the dead letters',
  })
  @IsOmittable()
  @IsIn(['true', 'false'])
  final?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00Z' })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-31T23:59:59Z' })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
