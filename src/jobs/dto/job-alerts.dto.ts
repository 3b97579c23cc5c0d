import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { IsOmittable } from '../../core/http/validators.js';
import { ALERT_LIMITS } from '../job-alerts.js';

const L = ALERT_LIMITS;

/** A job's `alerts`: where its events go and which ones are sent. */
export class JobAlertsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    maxItems: L.channelsMax,
    example: ['3f1c2a9e-8b7d-4c7a-9f0e-2d4b6a8c1e5f'],
    description: 'Notification channel ids (GET /api/channels)',
  })
  @IsArray()
  @ArrayMaxSize(L.channelsMax)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  channels: string[];

  @ApiPropertyOptional({
    default: true,
    description: 'Send job.failed (a final failure, after retries)',
  })
  @IsOmittable()
  @IsBoolean()
  onFailure?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'Send job.recovered (first success after failures)',
  })
  @IsOmittable()
  @IsBoolean()
  onRecovery?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Send job.auto_paused' })
  @IsOmittable()
  @IsBoolean()
  onAutoPause?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: L.windowMs.min,
    maximum: L.windowMs.max,
    example: 60000,
    description: 'Send job.missed when a slot has not started this long after its time',
  })
  @IsOptional()
  @IsInt()
  @Min(L.windowMs.min)
  @Max(L.windowMs.max)
  missedAfterMs?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: L.windowMs.min,
    maximum: L.windowMs.max,
    example: 3600000,
    description:
      "Dead man's switch: send job.no_success when the job has not succeeded for this long",
  })
  @IsOptional()
  @IsInt()
  @Min(L.windowMs.min)
  @Max(L.windowMs.max)
  noSuccessWithinMs?: number | null;
}
