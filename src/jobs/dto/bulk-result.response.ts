import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BULK_OPERATIONS, type BulkOperation } from '../job.limits.js';

export class BulkItemResultDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: true })
  success: boolean;

  @ApiPropertyOptional({ example: 'Job not found' })
  error?: string;
}

export class BulkResultResponseDto {
  @ApiProperty({ enum: BULK_OPERATIONS })
  operation: BulkOperation;

  @ApiProperty({ type: [BulkItemResultDto], description: 'One entry per requested id, in order' })
  results: BulkItemResultDto[];

  @ApiProperty({ example: 2 })
  succeeded: number;

  @ApiProperty({ example: 1 })
  failed: number;
}
