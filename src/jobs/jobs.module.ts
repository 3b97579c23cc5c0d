import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionsModule } from '../executions/executions.module.js';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { JobActionsService } from './job-actions.service.js';
import { JobPauseService } from './job-pause.service.js';
import { JobEntity } from './job.entity.js';
import { JobsController } from './jobs.controller.js';
import { JobCountsRepository } from './job-counts.repository.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';
import { BackfillsController } from './backfill/backfills.controller.js';
import { BackfillsService } from './backfill/backfills.service.js';
import { UpcomingSlotsService } from './upcoming.service.js';

/**
 * Job CRUD, search, stats, bulk, trigger and preview. Talks to the scheduler only through the
 * SCHEDULER_PORT and HANDLER_CATALOG tokens it declares (provided globally by SchedulerModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([JobEntity]), ExecutionsModule, CalendarsModule],
  controllers: [JobsController, BackfillsController],
  providers: [
    JobsRepository,
    JobsService,
    JobActionsService,
    JobPauseService,
    JobCountsRepository,
    BackfillsService,
    UpcomingSlotsService,
  ],
  exports: [JobCountsRepository, JobPauseService],
})
export class JobsModule {}
