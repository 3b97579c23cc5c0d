import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionEntity } from './execution.entity.js';
import { ActivityRepository } from './activity.repository.js';
import { ActivityService } from './activity.service.js';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionsRepository } from './executions.repository.js';
import { ExecutionLedgerRepository } from './execution-ledger.repository.js';
import { ExecutionsService } from './executions.service.js';
import { RunClaimsRepository } from './run-claims.repository.js';
import { BackfillsRepository } from './backfills.repository.js';
import { PartitionUpkeepService } from './partition-upkeep.service.js';

/**
 * The execution ledger: history reads, the run ledger the scheduler writes through (runs started,
 * finished, closed as lost or interrupted; runs waiting to start), and retention (monthly
 * partitions created ahead, old ones dropped; the scheduler starts and stops the upkeep).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ExecutionEntity])],
  controllers: [ExecutionsController],
  providers: [
    ExecutionsRepository,
    ExecutionsService,
    ActivityRepository,
    ActivityService,
    ExecutionLedgerRepository,
    RunClaimsRepository,
    BackfillsRepository,
    PartitionUpkeepService,
  ],
  exports: [
    ExecutionsService,
    ExecutionLedgerRepository,
    RunClaimsRepository,
    BackfillsRepository,
    PartitionUpkeepService,
  ],
})
export class ExecutionsModule {}
