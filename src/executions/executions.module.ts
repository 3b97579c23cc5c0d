import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionEntity } from './execution.entity.js';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionsRepository } from './executions.repository.js';
import { ExecutionsService } from './executions.service.js';
import { PartitionUpkeepService } from './partition-upkeep.service.js';

/**
 * Execution history reads and retention (monthly partitions created ahead, old ones dropped; the
 * scheduler starts and stops the upkeep with itself). The scheduler's run ledger writes the rows
 * (ARCHITECTURE.md, "Tables and who writes them").
 */
@Module({
  imports: [TypeOrmModule.forFeature([ExecutionEntity])],
  controllers: [ExecutionsController],
  providers: [ExecutionsRepository, ExecutionsService, PartitionUpkeepService],
  exports: [ExecutionsService, PartitionUpkeepService],
})
export class ExecutionsModule {}
