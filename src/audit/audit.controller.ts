import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { AuditService } from './audit.service.js';
import { AuditListResponseDto, AuditQueryDto } from './dto/audit.dto.js';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail, newest first',
    description:
      'Who changed what: one entry per change to a job, user, API key (and calendar, channel), with the changed fields before and after. Viewers see job, calendar and channel entries only.',
  })
  @ApiEnvelope(AuditListResponseDto)
  @ApiErrors()
  list(@Query() query: AuditQueryDto): Promise<AuditListResponseDto> {
    return this.audit.list(query);
  }
}
