import { Logger } from '@nestjs/common';
import { JobHandler, type JobHandlerContext, type JobHandlerInstance } from './job-handler.js';

/** The default target: logs the payload and succeeds. */
@JobHandler('log')
export class LogHandler implements JobHandlerInstance {
  private readonly logger = new Logger('LogHandler');

  handle(payload: Record<string, unknown>, ctx: JobHandlerContext): { logged: true } {
    this.logger.log({ msg: 'job run', jobId: ctx.jobId, executionId: ctx.executionId, payload });
    return { logged: true };
  }
}
