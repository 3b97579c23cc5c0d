import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionEntity } from './execution.entity.js';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionsRepository } from './executions.repository.js';
import { ExecutionsService } from './executions.service.js';

/** Execution history reads. The scheduler writes rows with its own SQL (claims, closes). */
@Module({
  imports: [TypeOrmModule.forFeature([ExecutionEntity])],
  controllers: [ExecutionsController],
  providers: [ExecutionsRepository, ExecutionsService],
  exports: [ExecutionsService],
})
export class ExecutionsModule {}
