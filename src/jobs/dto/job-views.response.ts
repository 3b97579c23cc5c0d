import { ApiProperty } from '@nestjs/swagger';
import { PaginationDto } from '../../core/http/pagination.dto.js';
import { ExecutionResponseDto } from '../../executions/dto/execution.response.js';
import { JobResponseDto } from './job.response.js';

export class JobListResponseDto {
  @ApiProperty({ type: [JobResponseDto] })
  jobs: JobResponseDto[];

  @ApiProperty({ type: PaginationDto })
  pagination: PaginationDto;
}

export class JobDetailResponseDto {
  @ApiProperty({ type: JobResponseDto })
  job: JobResponseDto;

  @ApiProperty({
    type: [ExecutionResponseDto],
    description: 'The latest 10 executions, newest first',
  })
  executionHistory: ExecutionResponseDto[];

  @ApiProperty({
    description:
      'True when this replica holds an armed timer for the job (false when the scheduler is off)',
  })
  isScheduled: boolean;
}

export class PreviewSlotDto {
  @ApiProperty({ format: 'date-time', example: '2026-03-08T07:00:00.000Z' })
  at: string;

  @ApiProperty({
    example: '2026-03-08T03:00:00.000-04:00',
    description: "The same instant as wall-clock time with offset in the job's time zone",
  })
  local: string;
}

export class JobPreviewResponseDto {
  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ example: 'America/New_York' })
  timezone: string;

  @ApiProperty({ type: [PreviewSlotDto] })
  slots: PreviewSlotDto[];
}

export class TriggerResponseDto {
  @ApiProperty({ format: 'uuid' })
  executionId: string;

  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ example: 'Daily Data Backup' })
  jobName: string;

  @ApiProperty({ format: 'date-time' })
  triggeredAt: string;
}
