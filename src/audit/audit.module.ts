import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { AuditUpkeepService } from './audit-upkeep.service.js';

/**
 * The audit trail (owns `audit_log`). Global: any module records a change by injecting
 * AuditService and calling `record(manager, entry)` inside the change's transaction.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditUpkeepService],
  exports: [AuditService],
})
export class AuditModule {}
