import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  isUUID,
  IsUUID,
} from 'class-validator';
import { IsOmittable, rule } from '../../core/http/validators.js';
import { BULK_OPERATIONS, type BulkOperation } from '../job.limits.js';
import { PauseJobDto } from './pause-job.dto.js';

export const BULK_MAX_IDS = 100;

class BulkJobsBaseDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: BULK_MAX_IDS,
    example: ['6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a10'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_IDS)
  @ArrayUnique({ message: 'jobIds must not repeat an id' })
  @IsUUID('all', { each: true, message: 'each value in jobIds must be a UUID' })
  jobIds: string[];

  @ApiProperty({ enum: BULK_OPERATIONS, example: 'activate' })
  @IsIn(BULK_OPERATIONS)
  operation: BulkOperation;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    example: { '6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a10': 3 },
    description:
      'Optional expected version per job id (as If-Match does for one job): a job at another version is left alone and reported as failed',
  })
  @IsOmittable()
  @rule('isVersionMap', versionsProblem)
  versions?: Record<string, number>;
}

/** `{ <uuid>: <version> }`, at most BULK_MAX_IDS entries. */
function versionsProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return 'must be an object mapping job ids to versions';
  }
  const entries = Object.entries(v);
  if (entries.length > BULK_MAX_IDS) {
    return `must have at most ${BULK_MAX_IDS} entries`;
  }
  for (const [id, version] of entries) {
    if (!isUUID(id)) {
      return `keys must be job ids (UUIDs); got "${id.slice(0, 40)}"`;
    }
    if (!Number.isInteger(version) || (version as number) < 1) {
      return 'values must be integers >= 1';
    }
  }
  return null;
}

/** `until` and `note` apply to the `pause` operation only. */
export class BulkJobsDto extends IntersectionType(BulkJobsBaseDto, PauseJobDto) {}
