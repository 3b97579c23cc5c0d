import { ApiProperty } from '@nestjs/swagger';
import { PaginationDto } from '../../core/http/pagination.dto.js';

export class BackfillCreatedResponseDto {
  @ApiProperty({
    format: 'uuid',
    type: String,
    nullable: true,
    description: 'null for a dry run (nothing stored)',
  })
  backfillId: string | null;

  @ApiProperty({
    type: [String],
    format: 'date-time',
    description: 'The slots of [from, to] it runs, oldest first (X-Scheduled-For of each run)',
  })
  slots: string[];

  @ApiProperty({ example: false })
  dryRun: boolean;
}

export class BackfillRunCountsDto {
  @ApiProperty({ example: 3 })
  completed: number;

  @ApiProperty({ example: 0, description: 'Attempts that failed, timed out or were interrupted' })
  failed: number;

  @ApiProperty({ example: 1 })
  running: number;
}

export class BackfillResponseDto {
  @ApiProperty({ format: 'uuid' })
  backfillId: string;

  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ enum: ['running', 'completed', 'cancelled'] })
  status: string;

  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ example: 5, description: 'Slots in the backfill' })
  total: number;

  @ApiProperty({ example: 4, description: 'Slots whose run has started' })
  started: number;

  @ApiProperty({ example: 1 })
  remaining: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  currentSlot: string | null;

  @ApiProperty({ type: BackfillRunCountsDto, description: 'Attempts by outcome, retries included' })
  runs: BackfillRunCountsDto;

  @ApiProperty({ type: [String], format: 'date-time' })
  slots: string[];

  @ApiProperty({ type: String, nullable: true })
  createdBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;
}

export class BackfillListResponseDto {
  @ApiProperty({ type: [BackfillResponseDto] })
  backfills: BackfillResponseDto[];

  @ApiProperty({ type: PaginationDto })
  pagination: PaginationDto;
}
