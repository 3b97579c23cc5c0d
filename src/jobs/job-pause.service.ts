import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ValidationFailedError } from '../core/errors/app-error.js';
import { Clock } from '../core/time/clock.js';
import type { PauseJobDto } from './dto/pause-job.dto.js';
import { JobNotActiveError, JobNotFoundError, JobNotPausedError } from './jobs.errors.js';
import { JobsRepository, type JobPause } from './jobs.repository.js';
import { resumeSlot, scheduleOf } from './schedule/schedule.js';

/**
 * Pause with a note and resume (design 7.2). A paused job is inactive with pausedAt set; at
 * pausedUntil the scheduler resumes it by itself (SlotFiringService, on whichever replica is
 * up). Resuming never catches up the slots of the pause: the next slot is computed from the
 * resume instant. Other modules pause a job through `pause(id, pause, manager)` (e.g. inside
 * the transaction that records a failure).
 */
@Injectable()
export class JobPauseService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Checks a pause request (until in the future) and turns it into a JobPause; 400 otherwise. */
  pauseOf(dto: PauseJobDto): JobPause {
    const until = dto.until ? new Date(dto.until) : null;
    if (until && until.getTime() <= this.clock.nowMs()) {
      throw new ValidationFailedError([{ field: 'until', message: 'until must be in the future' }]);
    }
    return { until, note: dto.note ?? null };
  }

  /**
   * Pauses an active job, or changes the until/note of a paused one. Runs in `manager`'s
   * transaction when given. Throws JobNotFoundError, or JobNotActiveError for a job that is
   * inactive without being paused.
   */
  async pause(id: string, pause: JobPause, manager?: EntityManager): Promise<void> {
    if (await this.jobs.pause(id, pause, manager)) {
      return;
    }
    if (!(await this.jobs.findById(id, manager))) {
      throw new JobNotFoundError(id);
    }
    throw new JobNotActiveError();
  }

  /** Ends a pause now: the job fires from its first slot after now (none of the paused ones). */
  async resume(id: string, manager?: EntityManager): Promise<void> {
    if (!manager) {
      return this.dataSource.transaction((m) => this.resume(id, m));
    }
    const job = await this.jobs.findForUpdate(id, manager);
    if (!job) {
      throw new JobNotFoundError(id);
    }
    if (!job.pausedAt) {
      throw new JobNotPausedError();
    }
    const schedule = scheduleOf({ ...job, pausedAt: null });
    await this.jobs.resume(id, resumeSlot(schedule, this.clock.now()), manager);
  }
}
