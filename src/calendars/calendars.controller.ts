import { Body, Controller, Delete, Get, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { ResponseMessage } from '../core/http/envelope.interceptor.js';
import {
  ApiIfMatch,
  ETAG_HEADER,
  IfMatch,
  SendsETag,
  type IfMatchCondition,
} from '../core/http/etag.js';
import { PaginationQueryDto } from '../core/http/pagination.dto.js';
import { UuidParam } from '../core/http/validators.js';
import { CALENDAR_JOBS_LIMIT, CalendarsService } from './calendars.service.js';
import {
  CalendarJobsResponseDto,
  CalendarListResponseDto,
  CalendarResponseDto,
} from './dto/calendar.response.js';
import { CreateCalendarDto } from './dto/create-calendar.dto.js';
import { UpdateCalendarDto } from './dto/update-calendar.dto.js';

const ApiCalendarId = (): MethodDecorator =>
  ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Calendar id' });

/** Exclusion calendars jobs reference in `excludeCalendars`. Reads: any user; writes: admin. */
@ApiTags('calendars')
@Controller('api/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @ApiOperation({ summary: 'List calendars by name' })
  @ApiEnvelope(CalendarListResponseDto)
  @ApiErrors()
  list(@Query() query: PaginationQueryDto): Promise<CalendarListResponseDto> {
    return this.calendars.list(query);
  }

  @Post()
  @ResponseMessage('Calendar created')
  @ApiOperation({ summary: 'Create a calendar' })
  @ApiEnvelope(CalendarResponseDto, HttpStatus.CREATED, 'Created')
  @ApiErrors()
  create(@Body() dto: CreateCalendarDto): Promise<CalendarResponseDto> {
    return this.calendars.create(dto);
  }

  @Get(':id')
  @ApiCalendarId()
  @ApiOperation({ summary: 'Get a calendar' })
  @ApiEnvelope(CalendarResponseDto, HttpStatus.OK, 'Success', ETAG_HEADER)
  @SendsETag()
  @ApiErrors(404)
  get(@UuidParam() id: string): Promise<CalendarResponseDto> {
    return this.calendars.get(id);
  }

  @Put(':id')
  @ApiCalendarId()
  @ResponseMessage('Calendar updated')
  @ApiOperation({
    summary: 'Update a calendar (partial)',
    description:
      'Given fields replace the stored ones (dates and ranges as whole lists). Every job excluding it follows on every replica at once.',
  })
  @ApiIfMatch('calendar')
  @ApiEnvelope(CalendarResponseDto, HttpStatus.OK, 'Success', ETAG_HEADER)
  @SendsETag()
  @ApiErrors(404, 412)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateCalendarDto,
    @IfMatch() ifMatch: IfMatchCondition,
  ): Promise<CalendarResponseDto> {
    return this.calendars.update(id, dto, ifMatch);
  }

  @Delete(':id')
  @ApiCalendarId()
  @ResponseMessage('Calendar deleted')
  @ApiOperation({
    summary: 'Delete a calendar',
    description: '409 naming the jobs while any job still excludes it.',
  })
  @ApiIfMatch('calendar')
  @ApiEnvelope(CalendarResponseDto, HttpStatus.OK, 'The deleted calendar')
  @ApiErrors(404, 409, 412)
  remove(
    @UuidParam() id: string,
    @IfMatch() ifMatch: IfMatchCondition,
  ): Promise<CalendarResponseDto> {
    return this.calendars.remove(id, ifMatch);
  }

  @Get(':id/jobs')
  @ApiCalendarId()
  @ApiOperation({
    summary: 'The jobs that exclude a calendar',
    description: `By name, at most ${CALENDAR_JOBS_LIMIT}, with the total: the jobs an edit affects and a delete waits for.`,
  })
  @ApiEnvelope(CalendarJobsResponseDto)
  @ApiErrors(404)
  jobs(@UuidParam() id: string): Promise<CalendarJobsResponseDto> {
    return this.calendars.jobs(id);
  }
}
