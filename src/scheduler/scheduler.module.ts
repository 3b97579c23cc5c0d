import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DispatcherService } from './dispatcher.service.js';
import { ExecutionLedgerRepository } from './execution-ledger.repository.js';
import { FinishQueue } from './finish-queue.js';
import { HeartbeatService } from './heartbeat.service.js';
import { JobChangesListener } from './job-changes.listener.js';
import { JobTimers } from './job-timers.js';
import { PartitionUpkeepService } from './partition-upkeep.service.js';
import { PendingRunsService } from './pending-runs.service.js';
import { ReconcilerService } from './reconciler.service.js';
import { RecoveryService } from './recovery.service.js';
import { ReplicaSession } from './replica-session.js';
import { RunClaimsRepository } from './run-claims.repository.js';
import { SCHEDULER_PORT } from '../jobs/scheduler.port.js';
import { SchedulerService } from './scheduler.service.js';
import { SlotClaimRepository } from './slot-claim.repository.js';
import { SlotFiringService } from './slot-firing.service.js';
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
  imports: [DiscoveryModule],
  providers: [
    JobTimers,
    SlotClaimRepository,
    RunClaimsRepository,
    ExecutionLedgerRepository,
    ReplicaSession,
    ReconcilerService,
    JobChangesListener,
    SlotFiringService,
    FinishQueue,
    DispatcherService,
    PendingRunsService,
    HeartbeatService,
    RecoveryService,
    PartitionUpkeepService,
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
