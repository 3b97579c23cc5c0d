import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DispatcherService } from './runs/dispatcher.service.js';
import { FinishQueue } from './runs/finish-queue.js';
import { AutoPauser } from './runs/auto-pauser.js';
import { HeartbeatService } from './cluster/heartbeat.service.js';
import { JobChangesListener } from './timers/job-changes.listener.js';
import { JobTimers } from './timers/job-timers.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { CalendarsModule } from '../calendars/calendars.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PendingRunsService } from './runs/pending-runs.service.js';
import { BackfillRunner } from './runs/backfill-runner.service.js';
import { ReconcilerService } from './timers/reconciler.service.js';
import { RecoveryService } from './cluster/recovery.service.js';
import { ReplicaSession } from './cluster/replica-session.js';
import { SCHEDULER_PORT } from '../jobs/scheduler.port.js';
import { SchedulerService } from './scheduler.service.js';
import { SlotClaimRepository } from './firing/slot-claim.repository.js';
import { SlotFiringService } from './firing/slot-firing.service.js';
import { HandlerRegistry } from './targets/handler-registry.js';
import { HANDLER_CATALOG } from '../jobs/handler-catalog.js';
import { HandlerTargetRunner } from './targets/handler.target.js';
import { HttpClient } from './targets/http-client.js';
import { HttpTargetRunner } from './targets/http.target.js';
import { LogHandler } from './targets/log.handler.js';

/**
 * Fires jobs: timers kept equal to the jobs table, slots claimed in PostgreSQL, targets called,
 * outcomes, retries and recovery recorded. Global so that other modules inject SCHEDULER_PORT
 * and HANDLER_CATALOG (the live handler names, for target validation) without importing it.
 */
@Global()
@Module({
  imports: [DiscoveryModule, ExecutionsModule, CalendarsModule, JobsModule],
  providers: [
    JobTimers,
    SlotClaimRepository,
    ReplicaSession,
    ReconcilerService,
    JobChangesListener,
    SlotFiringService,
    FinishQueue,
    AutoPauser,
    DispatcherService,
    PendingRunsService,
    BackfillRunner,
    HeartbeatService,
    RecoveryService,
    HttpClient,
    HttpTargetRunner,
    HandlerTargetRunner,
    HandlerRegistry,
    LogHandler,
    SchedulerService,
    { provide: SCHEDULER_PORT, useExisting: SchedulerService },
    // The API validates handler names against the live registry.
    { provide: HANDLER_CATALOG, useExisting: HandlerRegistry },
  ],
  exports: [SCHEDULER_PORT, HANDLER_CATALOG],
})
export class SchedulerModule {}
