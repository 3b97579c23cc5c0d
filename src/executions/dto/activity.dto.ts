import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../core/http/validators.js';

/** GET /api/executions/activity query: the last `hours`, in buckets of `bucketMinutes`. */
export class ActivityQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 48, default: 6 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(48)
  hours: number = 6;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 60, default: 1 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  bucketMinutes: number = 1;
}

export class ActivityBucketDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket' })
  at: string;

  @ApiProperty({ description: 'Runs started in the bucket (every trigger)' })
  firings: number;

  @ApiProperty({ description: 'Runs started in the bucket that failed or timed out' })
  failures: number;

  @ApiProperty({
    type: 'number',
    nullable: true,
    description:
      'p99 of the firing lag (started - scheduled) of the scheduled runs in the bucket, ms; null when none',
  })
  lagMsP99: number | null;
}

export class ActivityTotalsDto {
  @ApiProperty()
  firings: number;

  @ApiProperty()
  failures: number;

  @ApiProperty({ description: 'Distinct jobs with a failed or timed-out run in the window' })
  failingJobs: number;
}

export class ActivityResponseDto {
  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ example: 60 })
  bucketSeconds: number;

  @ApiProperty({
    type: [ActivityBucketDto],
    description: 'Every bucket of the window, oldest first',
  })
  buckets: ActivityBucketDto[];

  @ApiProperty({ type: ActivityTotalsDto })
  totals: ActivityTotalsDto;
}
