import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsJsonObject, IsNulFree, IsOmittable, IsTimeZone } from '../../core/http/validators.js';
import { IsCron } from './schedule.validators.js';
import {
  CONCURRENCY_POLICIES,
  JOB_LIMITS,
  JOB_TYPES,
  MISFIRE_POLICIES,
  RETRY_BACKOFFS,
} from '../job.limits.js';
import type { ConcurrencyPolicy, JobType, MisfirePolicy, RetryBackoff } from '../job.entity.js';
import { HandlerTargetDto, HttpTargetDto, JobTargetDto } from './job-target.dto.js';
import { JobAlertsDto } from './job-alerts.dto.js';
import { ALERT_LIMITS } from '../job-alerts.js';

const L = JOB_LIMITS;

/** An optional instant, null clearing it (runAt, startAt, endAt): ISO 8601 with an offset. */
const NullableInstant = (description: string, example: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'date-time',
      nullable: true,
      description,
      example,
    }),
    IsOptional(),
    IsISO8601({ strict: true, strictSeparator: true }),
  );

/**
 * Body of POST /api/jobs. Field rules here; rules across fields (a scheduled job needs a cron,
 * runAt in the future, …) are checked on the merged definition by job-definition.ts, so create
 * and partial update share them. `null` clears a nullable field and is refused elsewhere.
 */
@ApiExtraModels(HttpTargetDto, HandlerTargetDto)
export class CreateJobDto {
  @ApiProperty({ minLength: 1, maxLength: L.name.max, example: 'Daily Data Backup' })
  @IsString()
  @Length(L.name.min, L.name.max)
  @IsNulFree()
  name: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: L.descriptionMax,
    nullable: true,
    example: 'Backup user data every day at midnight',
  })
  @IsOptional()
  @IsString()
  @MaxLength(L.descriptionMax)
  @IsNulFree()
  description?: string | null;

  @ApiPropertyOptional({
    description:
      '5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; ranges, lists, steps and names (MON-FRI, JAN). Required for scheduled jobs.',
    type: String,
    maxLength: L.cronMax,
    nullable: true,
    example: '0 0 * * *',
  })
  @IsOptional()
  @IsString()
  @MaxLength(L.cronMax)
  @IsCron()
  cronExpression?: string | null;

  @ApiPropertyOptional({ default: true, example: true })
  @IsOmittable()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({ enum: JOB_TYPES, default: 'scheduled', example: 'scheduled' })
  @IsOmittable()
  @IsIn(JOB_TYPES)
  jobType?: JobType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `JSON object, at most ${L.payload.maxBytes} bytes and ${L.payload.maxDepth} levels deep`,
    example: { database: 'users', format: 'json' },
  })
  @IsOmittable()
  @IsJsonObject(L.payload)
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: L.timeoutMs.min,
    maximum: L.timeoutMs.max,
    default: 30000,
  })
  @IsOmittable()
  @IsInt()
  @Min(L.timeoutMs.min)
  @Max(L.timeoutMs.max)
  timeoutMs?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: L.maxRetries.min,
    maximum: L.maxRetries.max,
    default: 3,
  })
  @IsOmittable()
  @IsInt()
  @Min(L.maxRetries.min)
  @Max(L.maxRetries.max)
  maxRetries?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: L.retryDelayMs.min,
    maximum: L.retryDelayMs.max,
    default: 5000,
  })
  @IsOmittable()
  @IsInt()
  @Min(L.retryDelayMs.min)
  @Max(L.retryDelayMs.max)
  retryDelayMs?: number;

  @ApiPropertyOptional({
    type: String,
    maxLength: L.createdByMax,
    nullable: true,
    example: 'ops-team',
  })
  @IsOptional()
  @IsString()
  @MaxLength(L.createdByMax)
  @IsNulFree()
  createdBy?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: L.tags.maxCount,
    example: ['backup', 'daily'],
    description: `At most ${L.tags.maxCount} tags of 1..${L.tags.maxLength} characters`,
  })
  @IsOmittable()
  @ArrayMaxSize(L.tags.maxCount)
  @IsString({ each: true })
  @Length(1, L.tags.maxLength, { each: true })
  @IsNulFree({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    description: 'IANA time zone for the cron expression; defaults to the TIMEZONE setting',
    example: 'Asia/Kolkata',
  })
  @IsOmittable()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: L.intervalMs.min,
    maximum: L.intervalMs.max,
    nullable: true,
    description: 'Recurring jobs: fire every intervalMs (takes precedence over cronExpression)',
    example: 60000,
  })
  @IsOptional()
  @IsInt()
  @Min(L.intervalMs.min)
  @Max(L.intervalMs.max)
  intervalMs?: number | null;

  @NullableInstant(
    'Delayed jobs: the instant to fire once (ISO 8601 with offset, in the future)',
    '2030-01-01T09:00:00Z',
  )
  runAt?: string | null;

  @ApiPropertyOptional({
    oneOf: [{ $ref: getSchemaPath(HttpTargetDto) }, { $ref: getSchemaPath(HandlerTargetDto) }],
    discriminator: {
      propertyName: 'type',
      // Without a mapping, generated clients take the schema names for the values of `type`.
      mapping: { http: getSchemaPath(HttpTargetDto), handler: getSchemaPath(HandlerTargetDto) },
    },
    description: 'What a run does; default { "type": "handler", "name": "log" }',
  })
  @IsOmittable()
  // An array would slip through ValidateNested (it validates each element) and reach the service.
  @IsObject({ message: 'target must be an object with a type of http or handler' })
  @ValidateNested()
  @Type(() => JobTargetDto, {
    keepDiscriminatorProperty: true,
    discriminator: {
      property: 'type',
      subTypes: [
        { value: HttpTargetDto, name: 'http' },
        { value: HandlerTargetDto, name: 'handler' },
      ],
    },
  })
  target?: HttpTargetDto | HandlerTargetDto;

  @NullableInstant('No slot before this instant (ISO 8601 with offset)', '2030-01-01T00:00:00Z')
  startAt?: string | null;

  @NullableInstant(
    'No slot after this instant (after startAt, in the future); past it the job is inactive with nextRunAt null',
    '2030-12-31T23:59:59Z',
  )
  endAt?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: L.jitterMs.min,
    maximum: L.jitterMs.max,
    default: 0,
    description:
      'Each slot fires up to this much later, by an offset in [0, jitterMs) fixed per (job, slot) and shown by preview; executions keep the nominal scheduledFor',
    example: 30000,
  })
  @IsOmittable()
  @IsInt()
  @Min(L.jitterMs.min)
  @Max(L.jitterMs.max)
  jitterMs?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: L.maxRuns.min,
    nullable: true,
    description:
      'After this many scheduled runs (manual, retry, backfill and replay runs do not count) the job deactivates itself; setting it starts the count again (see remainingRuns)',
    example: 10,
  })
  @IsOptional()
  @IsInt()
  @Min(L.maxRuns.min)
  @Max(L.maxRuns.max)
  maxRuns?: number | null;

  @ApiPropertyOptional({
    enum: CONCURRENCY_POLICIES,
    default: 'forbid',
    description:
      'While a run of the job is in progress, a due slot is: forbid: skipped; allow: run too; replace: run after aborting the running one; queue_one: kept (at most one waiting) and started when the running one ends',
  })
  @IsOmittable()
  @IsIn(CONCURRENCY_POLICIES)
  concurrencyPolicy?: ConcurrencyPolicy;

  @ApiPropertyOptional({ enum: MISFIRE_POLICIES, default: 'fire_once' })
  @IsOmittable()
  @IsIn(MISFIRE_POLICIES)
  misfirePolicy?: MisfirePolicy;

  @ApiPropertyOptional({ enum: RETRY_BACKOFFS, default: 'fixed' })
  @IsOmittable()
  @IsIn(RETRY_BACKOFFS)
  retryBackoff?: RetryBackoff;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: L.excludeCalendarsMax,
    example: [],
    description:
      'Ids of calendars (see /api/calendars) whose slots are not run; each is counted as skipped (reason calendar). Unknown ids are a 400.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(L.excludeCalendarsMax)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  excludeCalendars?: string[];

  @ApiPropertyOptional({
    type: JobAlertsDto,
    nullable: true,
    description: 'Notifications about this job (see Alerting); null turns them off',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => JobAlertsDto)
  alerts?: JobAlertsDto | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: ALERT_LIMITS.autoPauseAfterFailures.min,
    maximum: ALERT_LIMITS.autoPauseAfterFailures.max,
    example: 5,
    description: 'Pause the job after this many consecutive final failures (after retries)',
  })
  @IsOptional()
  @IsInt()
  @Min(ALERT_LIMITS.autoPauseAfterFailures.min)
  @Max(ALERT_LIMITS.autoPauseAfterFailures.max)
  autoPauseAfterFailures?: number | null;
}
