import type { ExecutionResponseDto } from './dto/execution.response.js';
import type { ExecutionEntity } from './execution.entity.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toExecutionResponse(e: ExecutionEntity): ExecutionResponseDto {
  return {
    id: e.id,
    jobId: e.jobId,
    status: e.status,
    startedAt: e.startedAt.toISOString(),
    completedAt: iso(e.completedAt),
    durationMs: e.durationMs,
    errorMessage: e.errorMessage,
    retryCount: e.retryCount,
    output: e.output,
    scheduledFor: iso(e.scheduledFor),
    trigger: e.trigger,
    httpStatus: e.httpStatus ?? null,
    final: e.finalFailure ?? false,
    replayOf: e.replayOf ?? null,
  };
}
