import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError, ValidationFailedError } from '../core/errors/app-error.js';
import { Clock } from '../core/time/clock.js';
import { AuditService } from '../audit/audit.service.js';
import { SCHEDULER_PORT, type SchedulerPort } from './scheduler.port.js';
import { auditRun, jobAudit } from './job-audit.js';
import type { BulkOperation } from './job.limits.js';
import type { BulkItemResultDto, BulkResultResponseDto } from './dto/bulk-result.response.js';
import type { BulkJobsDto } from './dto/bulk-jobs.dto.js';
import type { TriggerResponseDto } from './dto/job-views.response.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { HANDLER_CATALOG, STATIC_HANDLER_CATALOG, type HandlerCatalog } from './handler-catalog.js';
import { definitionOf, definitionProblems, initialNextRunAt } from './job-definition.js';
import type { JobEntity } from './job.entity.js';
import { JobPauseService } from './job-pause.service.js';
import { JobsRepository, type JobPause } from './jobs.repository.js';

const NOT_FOUND = 'Job not found';
const versionMismatch = (current: number): string =>
  `Version mismatch: the job's current version is ${current}`;

/** Bulk operations and manual triggers. */
@Injectable()
export class JobActionsService {
  private readonly handlers: HandlerCatalog;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SCHEDULER_PORT) private readonly scheduler: SchedulerPort,
    private readonly pauses: JobPauseService,
    private readonly audit: AuditService,
    @Optional() @Inject(HANDLER_CATALOG) handlers?: HandlerCatalog,
  ) {
    this.handlers = handlers ?? STATIC_HANDLER_CATALOG;
  }

  /** Runs the job now through the scheduler's dispatch. */
  async trigger(id: string): Promise<TriggerResponseDto> {
    const r = await this.scheduler.triggerNow(id, auditRun(this.audit, 'job.trigger'));
    return {
      executionId: r.executionId,
      jobId: r.jobId,
      jobName: r.jobName,
      triggeredAt: r.triggeredAt.toISOString(),
    };
  }

  async bulk(dto: BulkJobsDto): Promise<BulkResultResponseDto> {
    const given = (v: unknown): boolean => v !== undefined && v !== null;
    if (dto.operation !== 'pause' && (given(dto.until) || given(dto.note))) {
      const field = given(dto.until) ? 'until' : 'note';
      throw new ValidationFailedError([
        { field, message: `${field} applies to the pause operation only` },
      ]);
    }
    const pause = dto.operation === 'pause' ? this.pauses.pauseOf(dto) : null;
    const results =
      dto.operation === 'trigger'
        ? await this.triggerMany(dto.jobIds, dto.versions)
        : await this.dataSource.transaction((m) => this.changeMany(dto, pause, m));
    const succeeded = results.filter((r) => r.success).length;
    return { operation: dto.operation, results, succeeded, failed: results.length - succeeded };
  }

  /**
   * activate / deactivate / delete / pause / resume in one transaction over the locked existing
   * rows; a row whose version differs from the one given for it in `versions` is left alone and
   * reported.
   */
  private async changeMany(
    dto: BulkJobsDto,
    pause: JobPause | null,
    m: EntityManager,
  ): Promise<BulkItemResultDto[]> {
    const locked = await this.jobs.lockMany(dto.jobIds, m);
    const errors = new Map<string, string>();
    for (const job of locked) {
      const expected = dto.versions?.[job.id];
      if (expected !== undefined && expected !== job.version) {
        errors.set(job.id, versionMismatch(job.version));
      }
    }
    const rows = new Map(locked.filter((j) => !errors.has(j.id)).map((j) => [j.id, j]));
    const existing = [...rows.keys()];
    switch (dto.operation) {
      case 'delete':
        await this.jobs.deleteMany(existing, m);
        break;
      case 'deactivate':
        await this.jobs.deactivateMany(existing, m);
        break;
      case 'activate':
        for (const job of rows.values()) {
          const problem = await this.activate(job, m);
          if (problem) {
            errors.set(job.id, problem);
          }
        }
        break;
      case 'pause':
      case 'resume':
        for (const id of existing) {
          const problem = await this.pauseOrResume(id, pause, m);
          if (problem) {
            errors.set(id, problem);
          }
        }
        break;
      case 'trigger':
        throw new Error('trigger is not a database operation');
    }
    await this.auditBulk(dto.operation, [...rows.values()], errors, m);
    return dto.jobIds.map((id) => {
      const error = errors.get(id) ?? (rows.has(id) ? undefined : NOT_FOUND);
      return error ? { id, success: false, error } : { id, success: true };
    });
  }

  /** One audit row per job the operation changed, named `job.bulk_<operation>`. */
  private async auditBulk(
    operation: BulkOperation,
    before: JobEntity[],
    errors: Map<string, string>,
    m: EntityManager,
  ): Promise<void> {
    const action = `job.bulk_${operation}`;
    const changed = before.filter((j) => !errors.has(j.id));
    if (operation === 'delete') {
      await this.audit.recordMany(
        m,
        changed.map((j) => jobAudit(j, null, action)),
      );
      return;
    }
    const after = new Map(
      (
        await this.jobs.lockMany(
          changed.map((j) => j.id),
          m,
        )
      ).map((j) => [j.id, j]),
    );
    await this.audit.recordMany(
      m,
      changed.map((j) => jobAudit(j, after.get(j.id) ?? null, action)),
    );
  }

  /** Activates one job as PUT { isActive: true } would; returns why not, or null. */
  private async activate(job: JobEntity, m: EntityManager): Promise<string | null> {
    if (job.isActive) {
      return null;
    }
    const def = { ...definitionOf(job), isActive: true };
    const now = this.clock.now();
    const problems = definitionProblems(def, {
      now,
      checkRunAt: true,
      handlers: this.handlers,
      targetAllowlist: this.config.targets.allowlist,
    });
    if (problems.length > 0) {
      return problems.map((p) => p.message).join('; ');
    }
    // An exhausted run limit starts again, as with PUT { isActive: true }.
    const remaining = job.remainingRuns === 0 ? job.maxRuns : job.remainingRuns;
    await this.jobs.activate(job.id, initialNextRunAt(def, now), remaining, m);
    return null;
  }

  /** Pauses (with `pause`) or resumes one job of a bulk request; returns why not, or null. */
  private async pauseOrResume(
    id: string,
    pause: JobPause | null,
    m: EntityManager,
  ): Promise<string | null> {
    try {
      // The bulk operation audits its rows itself (job.bulk_pause / job.bulk_resume).
      await (pause ? this.pauses.pause(id, pause, m, false) : this.pauses.resume(id, m, false));
      return null;
    } catch (e) {
      if (!(e instanceof AppError)) {
        throw e;
      }
      return e.message;
    }
  }

  /** Versions here are compared with a plain read: a trigger does not change the definition. */
  private async triggerMany(
    ids: string[],
    versions?: Record<string, number>,
  ): Promise<BulkItemResultDto[]> {
    const results: BulkItemResultDto[] = [];
    for (const id of ids) {
      try {
        const expected = versions?.[id];
        const current = expected === undefined ? null : await this.jobs.findById(id);
        if (current && current.version !== expected) {
          results.push({ id, success: false, error: versionMismatch(current.version) });
          continue;
        }
        await this.scheduler.triggerNow(id, auditRun(this.audit, 'job.bulk_trigger'));
        results.push({ id, success: true });
      } catch (e) {
        if (!(e instanceof AppError)) {
          throw e;
        }
        results.push({ id, success: false, error: e.message });
      }
    }
    return results;
  }
}
