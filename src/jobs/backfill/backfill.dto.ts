import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601 } from 'class-validator';
import { IsOmittable } from '../../core/http/validators.js';

/** At most this many slots per backfill (design 7.2). */
export const MAX_BACKFILL_SLOTS = 1000;

const ISO = { strict: true, strictSeparator: true } as const;

/** Body of POST /api/jobs/{id}/backfill. */
export class CreateBackfillDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-30T00:00:00Z' })
  @IsISO8601(ISO)
  from: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-30T05:00:00Z',
    description: `After from and not in the future; [from, to] may hold at most ${MAX_BACKFILL_SLOTS} slots`,
  })
  @IsISO8601(ISO)
  to: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Answer the slots that would run and store nothing',
  })
  @IsOmittable()
  @IsBoolean()
  dryRun?: boolean;
}
