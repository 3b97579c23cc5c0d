import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsNulFree, IsOmittable, IsTimeZone, rule } from '../../core/http/validators.js';

export const CALENDAR_LIMITS = { name: 255, description: 1000, dates: 1000, ranges: 500 } as const;

/** A real calendar date written `YYYY-MM-DD` (no time, no offset). */
export function localDateProblem(value: unknown): string | null {
  const bad = 'must be a date written YYYY-MM-DD, such as 2026-12-25';
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return bad;
  }
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? bad : null;
}

const ISO = { strict: true, strictSeparator: true } as const;

export class CalendarRangeDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-24T18:00:00Z' })
  @IsISO8601(ISO)
  from: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-27T06:00:00Z',
    description: 'After `from`; the range is [from, to): `to` itself is not excluded',
  })
  @IsISO8601(ISO)
  to: string;
}

/**
 * Body of POST /api/calendars. `from < to` of each range is checked by the service (a rule across
 * two fields), with the field named `ranges[i].to`.
 */
export class CreateCalendarDto {
  @ApiProperty({ minLength: 1, maxLength: CALENDAR_LIMITS.name, example: 'Public holidays DE' })
  @IsString()
  @Length(1, CALENDAR_LIMITS.name)
  @IsNulFree()
  name: string;

  @ApiPropertyOptional({ type: String, maxLength: CALENDAR_LIMITS.description, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(CALENDAR_LIMITS.description)
  @IsNulFree()
  description?: string | null;

  @ApiProperty({
    example: 'Europe/Berlin',
    description: 'IANA time zone the dates are local to',
  })
  @IsTimeZone()
  timezone: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'date',
    maxItems: CALENDAR_LIMITS.dates,
    example: ['2026-12-25', '2026-12-26'],
    description:
      "Local dates in the calendar's zone; each excludes that whole local day (23 or 25 hours on a DST change)",
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(CALENDAR_LIMITS.dates)
  @rule('isLocalDate', localDateProblem, { each: true })
  dates?: string[];

  @ApiPropertyOptional({
    type: [CalendarRangeDto],
    maxItems: CALENDAR_LIMITS.ranges,
    description: 'Excluded stretches of time, as instants',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(CALENDAR_LIMITS.ranges)
  @ValidateNested({ each: true })
  @Type(() => CalendarRangeDto)
  ranges?: CalendarRangeDto[];
}
