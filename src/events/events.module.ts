import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.js';
import { EventTicketsService, TICKET_JWT, ticketJwt } from './event-tickets.service.js';
import { EventsController } from './events.controller.js';
import { LiveEventsService } from './live-events.service.js';
import { RunEventsRelay } from './run-events.relay.js';

/** The console's live updates: `GET /api/events` (server-sent events) and its tickets. */
@Module({
  controllers: [EventsController],
  providers: [
    { provide: TICKET_JWT, inject: [APP_CONFIG], useFactory: ticketJwt },
    EventTicketsService,
    LiveEventsService,
    RunEventsRelay,
  ],
})
export class EventsModule {}
