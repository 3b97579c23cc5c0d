import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../core/http/pagination.dto.js';
import { IsNulFree, IsOmittable, rule } from '../../core/http/validators.js';
import type { JobType } from '../job.entity.js';
import { JOB_LIMITS, JOB_TYPES } from '../job.limits.js';

function tagListProblem(value: unknown): string | null {
  const { maxCount, maxLength } = JOB_LIMITS.tags;
  const tags = typeof value === 'string' ? splitTags(value) : null;
  return tags && tags.length <= maxCount && tags.every((t) => t.length <= maxLength)
    ? null
    : `must be at most ${maxCount} comma-separated tags of at most ${maxLength} characters`;
}

export function splitTags(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** GET /api/jobs query, the original's parameters. */
export class ListJobsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Case-insensitive substring of name or description, matched literally',
    maxLength: 255,
    example: 'backup',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(255)
  @IsNulFree()
  search?: string;

  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOmittable()
  @IsIn(JOB_TYPES)
  jobType?: JobType;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOmittable()
  @IsIn(['true', 'false'], { message: 'isActive must be true or false' })
  isActive?: 'true' | 'false';

  @ApiPropertyOptional({
    description: 'Comma-separated; a job matches when it has ALL of the given tags',
    example: 'backup,daily',
  })
  @IsOmittable()
  @rule('isTagList', tagListProblem)
  @IsNulFree()
  tags?: string;
}
