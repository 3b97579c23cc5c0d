import { ApiProperty } from '@nestjs/swagger';
import { PaginationDto } from '../../core/http/pagination.dto.js';
import type { ExecutionStatus, ExecutionTrigger } from '../execution.entity.js';

export const EXECUTION_STATUSES = [
  'running',
  'completed',
  'failed',
  'timeout',
  'interrupted',
] as const;
export const EXECUTION_TRIGGERS = [
  'schedule',
  'manual',
  'retry',
  'recovery',
  'backfill',
  'replay',
] as const;

export class ExecutionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ enum: EXECUTION_STATUSES, example: 'completed' })
  status: ExecutionStatus;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  completedAt: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 1532 })
  durationMs: number | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  errorMessage: string | null;

  @ApiProperty({ example: 0 })
  retryCount: number;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { status: 200 } })
  output: Record<string, unknown>;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  scheduledFor: string | null;

  @ApiProperty({ enum: EXECUTION_TRIGGERS, example: 'schedule' })
  trigger: ExecutionTrigger;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 200,
    description: "The http target's response status",
  })
  httpStatus: number | null;

  @ApiProperty({
    example: false,
    description: 'Failed or timed out with no retry left (a dead letter)',
  })
  final: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The execution this run replays (trigger replay)',
  })
  replayOf: string | null;
}

export class ExecutionListResponseDto {
  @ApiProperty({ type: [ExecutionResponseDto] })
  executions: ExecutionResponseDto[];

  @ApiProperty({ type: PaginationDto })
  pagination: PaginationDto;
}
