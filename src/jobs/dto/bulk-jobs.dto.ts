import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsUUID } from 'class-validator';
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
}

/** `until` and `note` apply to the `pause` operation only. */
export class BulkJobsDto extends IntersectionType(BulkJobsBaseDto, PauseJobDto) {}
