import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarCache } from './calendar-cache.js';
import { CalendarEntity } from './calendar.entity.js';
import { CalendarsController } from './calendars.controller.js';
import { CalendarsRepository } from './calendars.repository.js';
import { CalendarsService } from './calendars.service.js';

/**
 * Exclusion calendars (design 7.2): CRUD, the rules a slot is checked against
 * (calendar-rules.ts), and the scheduler's cache of them. Jobs and the scheduler import it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CalendarEntity])],
  controllers: [CalendarsController],
  providers: [CalendarsRepository, CalendarsService, CalendarCache],
  exports: [CalendarsService, CalendarCache],
})
export class CalendarsModule {}
