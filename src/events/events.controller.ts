import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UnauthorizedError } from '../auth/auth.errors.js';
import { Public } from '../auth/public.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { RawResponse } from '../core/http/envelope.interceptor.js';
import type { AppRequest } from '../core/http/request-context.js';
import { EventStreamQueryDto, EventTicketResponseDto } from './dto/events.dto.js';
import { EventTicketsService, TICKET_TTL_S } from './event-tickets.service.js';
import { LiveEventsService } from './live-events.service.js';

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly tickets: EventTicketsService,
    private readonly live: LiveEventsService,
  ) {}

  @Post('ticket')
  // Not a write: viewers watch the live screens too.
  @Roles('viewer', 'admin')
  @ApiOperation({
    summary: 'A one-time ticket (30 s) to open the event stream',
    description: '`EventSource` cannot send headers: open `GET /api/events?ticket=<ticket>`.',
  })
  @ApiEnvelope(EventTicketResponseDto, 201, 'Created')
  @ApiErrors()
  async ticket(@Req() req: AppRequest): Promise<EventTicketResponseDto> {
    if (!req.user) {
      throw new UnauthorizedError();
    }
    return { ticket: await this.tickets.issue(req.user), expiresIn: TICKET_TTL_S };
  }

  @Get()
  @Public()
  @RawResponse()
  // The ticket is the credential (a bearer header is not possible from EventSource).
  @ApiSecurity({})
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-sent events: jobs.changed, execution.started, execution.finished',
    description:
      'Authenticated by a ticket from POST /api/events/ticket. `jobs.changed` data is `{ jobIds }` ' +
      '(any replica); `execution.started` `{ jobId, executionId, trigger, scheduledFor, startedAt }` ' +
      'and `execution.finished` `{ jobId, executionId, status, durationMs, attempt }` are the runs ' +
      'of every replica, each once. A `: ping` comment every 15 s.',
  })
  @ApiOkResponse({ description: 'An event stream (text/event-stream)' })
  @ApiErrors()
  async stream(
    @Query() query: EventStreamQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!query.ticket) {
      throw new UnauthorizedError('An event ticket is required (POST /api/events/ticket)');
    }
    await this.tickets.redeem(query.ticket);
    await this.live.open(req, res);
  }
}
