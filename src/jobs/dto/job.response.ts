import { ApiProperty, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import {
  CONCURRENCY_POLICIES,
  JOB_TYPES,
  MISFIRE_POLICIES,
  RETRY_BACKOFFS,
} from '../job.limits.js';
import { ApiVersionProperty } from '../../core/http/etag.js';
import type {
  ConcurrencyPolicy,
  JobTarget,
  JobType,
  MisfirePolicy,
  RetryBackoff,
} from '../job.entity.js';
import { HandlerTargetDto, HttpTargetDto } from './job-target.dto.js';
import { JobAlertsDto } from './job-alerts.dto.js';
import type { JobAlerts } from '../job-alerts.js';

export class JobStatisticsDto {
  @ApiProperty({ example: 120 })
  totalRuns: number;

  @ApiProperty({ example: 117 })
  successfulRuns: number;

  @ApiProperty({ example: 3 })
  failedRuns: number;

  @ApiProperty({
    example: 97.5,
    description: 'successfulRuns / totalRuns as a percentage (0..100, 2 decimals); 0 without runs',
  })
  successRate: number;

  @ApiProperty({ example: 0, description: 'Final failures (after retries) since the last success' })
  consecutiveFailures: number;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  lastSuccessAt: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Last failed or timed-out attempt',
  })
  lastFailureAt: string | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 4,
    description: 'Firing lag (start minus scheduled time), median of the last 100 scheduled runs',
  })
  lagMsP50: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 12 })
  lagMsP99: number | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 150,
    description: 'Attempt duration, median of the last 100 attempts',
  })
  durationMsP50: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 480 })
  durationMsP95: number | null;
}

export class JobConfigurationDto {
  @ApiProperty({ example: 30000 })
  timeoutMs: number;

  @ApiProperty({ example: 3 })
  maxRetries: number;

  @ApiProperty({ example: 5000 })
  retryDelayMs: number;
}

/**
 * The job resource. `statistics` and `configuration` are what clients of the original read;
 * timeoutMs/maxRetries/retryDelayMs are also kept flat, mirroring the request body.
 */
@ApiExtraModels(HttpTargetDto, HandlerTargetDto)
export class JobResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Daily Data Backup' })
  name: string;

  @ApiProperty({ nullable: true, type: String, example: 'Backup user data every day at midnight' })
  description: string | null;

  @ApiProperty({ nullable: true, type: String, example: '0 0 * * *' })
  cronExpression: string | null;

  @ApiProperty({ example: true })
  isActive: boolean;

  @ApiProperty({ enum: JOB_TYPES, example: 'scheduled' })
  jobType: JobType;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { database: 'users' } })
  payload: Record<string, unknown>;

  @ApiProperty({ example: 'Asia/Kolkata' })
  timezone: string;

  @ApiProperty({ nullable: true, type: Number, example: null })
  intervalMs: number | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  runAt: string | null;

  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(HttpTargetDto) }, { $ref: getSchemaPath(HandlerTargetDto) }],
    example: { type: 'handler', name: 'log' },
  })
  target: JobTarget;

  @ApiProperty({ enum: CONCURRENCY_POLICIES, example: 'forbid' })
  concurrencyPolicy: ConcurrencyPolicy;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  startAt: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  endAt: string | null;

  @ApiProperty({ example: 0 })
  jitterMs: number;

  @ApiProperty({ nullable: true, type: Number, example: null })
  maxRuns: number | null;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: null,
    description: 'Scheduled runs left of maxRuns (read-only); null without maxRuns',
  })
  remainingRuns: number | null;

  @ApiProperty({ enum: MISFIRE_POLICIES, example: 'fire_once' })
  misfirePolicy: MisfirePolicy;

  @ApiProperty({ enum: RETRY_BACKOFFS, example: 'fixed' })
  retryBackoff: RetryBackoff;

  @ApiProperty({ example: 30000 })
  timeoutMs: number;

  @ApiProperty({ example: 3 })
  maxRetries: number;

  @ApiProperty({ example: 5000 })
  retryDelayMs: number;

  @ApiProperty({ nullable: true, type: String, example: 'ops-team' })
  createdBy: string | null;

  @ApiProperty({ type: [String], example: ['backup', 'daily'] })
  tags: string[];

  @ApiProperty({ type: [String], format: 'uuid', example: [] })
  excludeCalendars: string[];
  @ApiVersionProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  lastRunAt: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description:
      'When the next slot fires (UTC, jitter included); null when inactive or when a one-shot job has fired',
  })
  nextRunAt: string | null;

  @ApiProperty({ type: JobAlertsDto, nullable: true })
  alerts: JobAlerts | null;

  @ApiProperty({ nullable: true, type: Number, example: null })
  autoPauseAfterFailures: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the job was paused; null unless paused (a paused job has isActive false)',
  })
  pausedAt: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When a paused job resumes by itself; null for a pause until resumed by hand',
  })
  pausedUntil: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Upstream maintenance until 06:00' })
  pauseNote: string | null;

  @ApiProperty({ type: JobStatisticsDto })
  statistics: JobStatisticsDto;

  @ApiProperty({ type: JobConfigurationDto })
  configuration: JobConfigurationDto;
}
