import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../core/http/validators.js';

/** GET /api/jobs/upcoming query. */
export class UpcomingQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1440, default: 60 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1440)
  withinMinutes: number = 60;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

export class UpcomingSlotDto {
  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ example: 'Daily Data Backup' })
  jobName: string;

  @ApiProperty({ example: 'Asia/Kolkata' })
  timezone: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({
    example: '2026-03-08T03:00:00.000-04:00',
    description: "The same instant as wall-clock time with offset in the job's time zone",
  })
  local: string;
}

export class UpcomingResponseDto {
  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({
    type: [UpcomingSlotDto],
    description: 'The soonest slots of all active jobs in the window, at most `limit`, in order',
  })
  slots: UpcomingSlotDto[];
}
