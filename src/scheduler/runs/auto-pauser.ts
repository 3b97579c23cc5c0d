import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { Clock } from '../../core/time/clock.js';
import type { AutoPaused } from '../../executions/execution-ledger.repository.js';
import { JobPauseService } from '../../jobs/job-pause.service.js';

/**
 * autoPauseAfterFailures: the ledger finds the jobs whose consecutive final failures reached it
 * and calls `hook` inside the transaction that records the outcome; each is paused through the
 * jobs module's pause, with a note saying why and when. (The ledger cannot import the jobs
 * module; the scheduler, which writes outcomes through it, can.)
 */
@Injectable()
export class AutoPauser {
  private readonly logger = new Logger(AutoPauser.name);

  constructor(
    private readonly pauses: JobPauseService,
    private readonly clock: Clock,
  ) {}

  readonly hook = async (em: EntityManager, paused: AutoPaused[]): Promise<void> => {
    for (const { jobId, failures } of paused) {
      const note = `Auto-paused at ${this.clock.now().toISOString()} after ${failures} consecutive failures (autoPauseAfterFailures)`;
      try {
        await this.pauses.pause(jobId, { until: null, note }, em);
      } catch (e) {
        // Not pausable (deleted, inactive meanwhile): the outcome must still be recorded. The
        // ledger holds the job row locked, so this guards a bug, not an expected path.
        if (!(e instanceof AppError)) {
          throw e;
        }
        this.logger.warn(`auto-pause of ${jobId} refused: ${e.message}`);
      }
    }
  };
}
