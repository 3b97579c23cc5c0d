import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SLOT_SKIP_REASONS, type SlotSkipReason } from '../schedule/schedule.js';
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

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'The nominal slot (scheduledFor, X-Scheduled-For) when jitter moves the firing (at) later',
  })
  nominal?: string;

  @ApiPropertyOptional({
    enum: SLOT_SKIP_REASONS,
    description: 'Set on a slot that will not fire (only with includeSkipped=true): why',
  })
  skipped?: SlotSkipReason;
}

export class JobPreviewResponseDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null for a draft (POST /api/jobs/preview), which has no id and so no jitter yet',
  })
  jobId: string | null;

  @ApiProperty({
    example: 'At 09:00, Monday through Friday, Europe/Paris time; at most 10 runs',
    description: 'The schedule in words (cron by cronstrue) with its controls',
  })
  description: string;

  @ApiProperty({ example: 'America/New_York' })
  timezone: string;

  @ApiProperty({
    type: [PreviewSlotDto],
    description:
      'The next count slots that fire (after window, pause, run limit and jitter), in order; with includeSkipped, skipped ones among them',
  })
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
