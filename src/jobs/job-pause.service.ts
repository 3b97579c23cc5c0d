import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { ValidationFailedError } from '../core/errors/app-error.js';
import { Clock } from '../core/time/clock.js';
import type { PauseJobDto } from './dto/pause-job.dto.js';
import { jobAudit } from './job-audit.js';
import { JobNotActiveError, JobNotFoundError, JobNotPausedError } from './jobs.errors.js';
import { JobsRepository, type JobPause } from './jobs.repository.js';
import { resumeSlot, scheduleOf } from './schedule/schedule.js';

/**
 * Pause with a note and resume (design 7.2). A paused job is inactive with pausedAt set; at
 * pausedUntil the scheduler resumes it by itself (SlotFiringService, on whichever replica is
 * up). Resuming never catches up the slots of the pause: the next slot is computed from the
 * resume instant. Other modules pause a job through `pause(id, pause, manager)` (e.g. inside
 * the transaction that records a failure). Each pause and resume writes its audit row in the
 * same transaction (actor: the caller, or system for the scheduler's auto-pause); a bulk
 * operation, which audits its own rows, passes `audited: false`.
 */
@Injectable()
export class JobPauseService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
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
  async pause(id: string, pause: JobPause, manager?: EntityManager, audited = true): Promise<void> {
    if (!manager) {
      return this.dataSource.transaction((m) => this.pause(id, pause, m, audited));
    }
    const before = audited ? await this.jobs.findForUpdate(id, manager) : null;
    if (await this.jobs.pause(id, pause, manager)) {
      if (before) {
        const after = await this.jobs.findById(id, manager);
        await this.audit.record(manager, jobAudit(before, after, 'job.pause'));
      }
      return;
    }
    if (!(await this.jobs.findById(id, manager))) {
      throw new JobNotFoundError(id);
    }
    throw new JobNotActiveError();
  }

  /** Ends a pause now: the job fires from its first slot after now (none of the paused ones). */
  async resume(id: string, manager?: EntityManager, audited = true): Promise<void> {
    if (!manager) {
      return this.dataSource.transaction((m) => this.resume(id, m, audited));
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
    if (audited) {
      const after = await this.jobs.findById(id, manager);
      await this.audit.record(manager, jobAudit(job, after, 'job.resume'));
    }
  }
}
