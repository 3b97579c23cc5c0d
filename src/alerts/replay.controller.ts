import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TriggerThrottle } from '../auth/throttle.decorators.js';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { ResponseMessage } from '../core/http/envelope.interceptor.js';
import { UuidParam } from '../core/http/validators.js';
import { AuditService } from '../audit/audit.service.js';
import { auditRun } from '../jobs/job-audit.js';
import { SCHEDULER_PORT, type SchedulerPort } from '../jobs/scheduler.port.js';
import { TriggerResponseDto } from '../jobs/dto/job-views.response.js';

/** A trigger's answer (executionId: the new run, trigger replay) plus the execution replayed. */
export class ReplayResponseDto extends TriggerResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The execution replayed' })
  replayOf: string;
}

/** Dead letters are listed by GET /api/executions?final=true; this runs one again. */
@ApiTags('executions')
@Controller('api/executions')
export class ReplayController {
  constructor(
    @Inject(SCHEDULER_PORT) private readonly scheduler: SchedulerPort,
    private readonly audit: AuditService,
  ) {}

  @Post(':id/replay')
  @TriggerThrottle()
  @Idempotent()
  @ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Execution id' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ResponseMessage('Replay started')
  @ApiOperation({
    summary: 'Run a dead letter again, once (trigger "replay", linked by replayOf)',
    description:
      'Only an execution that failed for good (final=true). A second replay of the same execution is 409.',
  })
  @ApiEnvelope(ReplayResponseDto, HttpStatus.ACCEPTED, 'Accepted: the replay has started')
  @ApiErrors(404, 409, 503)
  async replay(@UuidParam() id: string): Promise<ReplayResponseDto> {
    const r = await this.scheduler.replay(id, auditRun(this.audit, 'job.replay', { replayOf: id }));
    return { ...r, triggeredAt: r.triggeredAt.toISOString() };
  }
}
