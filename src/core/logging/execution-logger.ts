import type { LoggerService } from '@nestjs/common';

/** Fields every scheduler log line about one run carries, so a run can be followed by id. */
export interface ExecutionLogFields {
  jobId: string;
  executionId?: string;
  attempt?: number;
}

/**
 * The convention for scheduler logs: `forExecution(this.logger, { jobId, executionId })
 * .log('attempt started')` writes `{"jobId":…,"executionId":…,"msg":"attempt started"}`
 * through the app's pino logger (a Nest `Logger` instance keeps its context name).
 */
export class ExecutionLogger {
  constructor(
    private readonly logger: LoggerService,
    private readonly fields: ExecutionLogFields,
  ) {}

  log(message: string, extra: Record<string, unknown> = {}): void {
    this.logger.log({ ...extra, ...this.fields }, message);
  }

  warn(message: string, extra: Record<string, unknown> = {}): void {
    this.logger.warn({ ...extra, ...this.fields }, message);
  }

  /** `err` goes under the key pino's error serializer knows (message, stack, no internals). */
  error(message: string, err?: unknown, extra: Record<string, unknown> = {}): void {
    this.logger.error({ ...extra, ...this.fields, ...(err ? { err } : {}) }, message);
  }

  debug(message: string, extra: Record<string, unknown> = {}): void {
    this.logger.debug?.({ ...extra, ...this.fields }, message);
  }
}

export function forExecution(logger: LoggerService, fields: ExecutionLogFields): ExecutionLogger {
  return new ExecutionLogger(logger, fields);
}
