import { ApiProperty } from '@nestjs/swagger';
import { ApiVersionProperty } from '../../core/http/etag.js';
import { PaginationDto } from '../../core/http/pagination.dto.js';
import { CalendarRangeDto } from './create-calendar.dto.js';

export class CalendarResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Public holidays DE' })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ example: 'Europe/Berlin' })
  timezone: string;

  @ApiProperty({ type: [String], format: 'date', example: ['2026-12-25'] })
  dates: string[];

  @ApiProperty({ type: [CalendarRangeDto] })
  ranges: CalendarRangeDto[];

  @ApiVersionProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class CalendarListResponseDto {
  @ApiProperty({ type: [CalendarResponseDto] })
  calendars: CalendarResponseDto[];

  @ApiProperty({ type: PaginationDto })
  pagination: PaginationDto;
}

export class CalendarJobDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'nightly-report' })
  name: string;
}

/** GET /api/calendars/{id}/jobs: the jobs whose excludeCalendars name the calendar. */
export class CalendarJobsResponseDto {
  @ApiProperty({ type: [CalendarJobDto], description: 'By name; at most `limit` of them' })
  jobs: CalendarJobDto[];

  @ApiProperty({ example: 3, description: 'How many jobs exclude the calendar in all' })
  total: number;
}
