import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuditListResponseDto, ResourceAuditQueryDto } from '../audit/dto/audit.dto.js';
import {
  matchesVersion,
  versionsParam,
  VersionMismatchError,
  type IfMatchCondition,
} from '../core/http/etag.js';
import { jobAudit } from './job-audit.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ValidationFailedError } from '../core/errors/app-error.js';
import { toPagination } from '../core/http/pagination.dto.js';
import { Clock } from '../core/time/clock.js';
import type { JobExecutionsQueryDto } from '../executions/dto/list-executions.query.js';
import type { ExecutionListResponseDto } from '../executions/dto/execution.response.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { SCHEDULER_PORT, schedulerRunning, type SchedulerPort } from './scheduler.port.js';
import type { CreateJobDto } from './dto/create-job.dto.js';
import type { JobResponseDto } from './dto/job.response.js';
import type { JobStatsResponseDto } from './dto/job-stats.response.js';
import type {
  JobDetailResponseDto,
  JobListResponseDto,
  JobPreviewResponseDto,
} from './dto/job-views.response.js';
import { splitTags, type ListJobsQueryDto } from './dto/list-jobs.query.js';
import type { UpdateJobDto } from './dto/update-job.dto.js';
import { HANDLER_CATALOG, STATIC_HANDLER_CATALOG, type HandlerCatalog } from './handler-catalog.js';
import {
  definitionFromCreate,
  definitionOf,
  definitionProblems,
  initialNextRunAt,
  mergeDefinition,
  timingChanged,
  type JobDefinition,
} from './job-definition.js';
import type { JobEntity } from './job.entity.js';
import { toJobResponse, toJobStats } from './job.mapper.js';
import { JobNotFoundError } from './jobs.errors.js';
import { JobsRepository } from './jobs.repository.js';
import { localIso } from '../core/time/zone.js';
import { previewSlots, scheduleOf } from './schedule/schedule.js';

const HISTORY_SIZE = 10;

/** Job use cases: one method each; bulk and trigger live in JobActionsService. */
@Injectable()
export class JobsService {
  private readonly handlers: HandlerCatalog;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly executions: ExecutionsService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SCHEDULER_PORT) private readonly scheduler: SchedulerPort,
    private readonly audit: AuditService,
    @Optional() @Inject(HANDLER_CATALOG) handlers?: HandlerCatalog,
  ) {
    this.handlers = handlers ?? STATIC_HANDLER_CATALOG;
  }

  async list(query: ListJobsQueryDto): Promise<JobListResponseDto> {
    const filter = {
      search: query.search?.trim() || undefined,
      jobType: query.jobType,
      isActive: query.isActive === undefined ? undefined : query.isActive === 'true',
      tags: query.tags === undefined ? undefined : splitTags(query.tags),
    };
    const { items, total } = await this.jobs.search(filter, query.page, query.limit);
    return {
      jobs: items.map(toJobResponse),
      pagination: toPagination(query.page, query.limit, total),
    };
  }

  async create(dto: CreateJobDto): Promise<JobResponseDto> {
    const def = definitionFromCreate(dto, this.config.scheduler.defaultTimezone);
    const now = this.clock.now();
    this.assertValid(def, now, true);
    const job = await this.dataSource.transaction(async (m) => {
      const id = await this.jobs.insert(def, initialNextRunAt(def, now), m);
      const created = await this.found(id, m);
      await this.audit.record(m, jobAudit(null, created));
      return created;
    });
    return toJobResponse(job);
  }

  async get(id: string): Promise<JobDetailResponseDto> {
    const [job, history] = await Promise.all([
      this.found(id),
      this.executions.latestForJob(id, HISTORY_SIZE),
    ]);
    return {
      job: toJobResponse(job),
      executionHistory: history,
      isScheduled: this.scheduler.isScheduled(id),
    };
  }

  /**
   * Partial update: the merged definition is validated as a whole, under a row lock so two
   * concurrent patches cannot each pass alone and combine into an incoherent job.
   */
  async update(id: string, dto: UpdateJobDto, ifMatch?: IfMatchCondition): Promise<JobResponseDto> {
    const updated = await this.dataSource.transaction(async (m) => {
      const job = await this.jobs.findForUpdate(id, m);
      if (!job) {
        throw new JobNotFoundError(id);
      }
      // Under the row lock: no other write can slip between this check and the UPDATE.
      if (!matchesVersion(ifMatch, job.version)) {
        throw new VersionMismatchError('job', job.version);
      }
      const { merged, problems } = mergeDefinition(definitionOf(job), dto);
      if (problems.length > 0) {
        throw new ValidationFailedError(problems);
      }
      const now = this.clock.now();
      const activating = merged.isActive && !job.isActive;
      this.assertValid(
        merged,
        now,
        dto.runAt !== undefined || activating || dto.jobType !== undefined,
      );
      // Unchanged timing leaves next_run_at to the scheduler, which advances it on every firing.
      const nextRunAt = timingChanged(job, merged) ? initialNextRunAt(merged, now) : undefined;
      await this.jobs.update(id, merged, nextRunAt, m);
      const after = await this.found(id, m);
      await this.audit.record(m, jobAudit(job, after));
      return after;
    });
    return toJobResponse(updated);
  }

  /**
   * Answers the deleted job, as the original did (its clients show the name). The If-Match
   * versions are in the DELETE's WHERE, so a concurrent change makes it delete nothing.
   */
  async remove(id: string, ifMatch?: IfMatchCondition): Promise<JobResponseDto> {
    const deleted = await this.dataSource.transaction(async (m) => {
      const gone = await this.jobs.remove(id, versionsParam(ifMatch), m);
      if (!gone) {
        const current = await this.jobs.findById(id, m);
        throw current ? new VersionMismatchError('job', current.version) : new JobNotFoundError(id);
      }
      await this.audit.record(m, jobAudit(gone, null));
      return gone;
    });
    return toJobResponse(deleted);
  }

  /** A job's audit trail, newest first; it outlives the job. */
  auditOf(id: string, query: ResourceAuditQueryDto): Promise<AuditListResponseDto> {
    return this.audit.list(query, { resourceType: 'job', resourceId: id });
  }

  async stats(): Promise<JobStatsResponseDto> {
    const [row, recent] = await Promise.all([this.jobs.stats(), this.executions.recentFigures()]);
    const running = schedulerRunning(this.config.scheduler.enabled, () => this.scheduler.status());
    return toJobStats(row, recent, running);
  }

  async executionsOf(id: string, query: JobExecutionsQueryDto): Promise<ExecutionListResponseDto> {
    // The page is read alongside the existence check, not after it; a 404 discards it.
    const [, page] = await Promise.all([
      this.found(id),
      this.executions.page({ jobId: id, status: query.status }, query.page, query.limit),
    ]);
    return page;
  }

  /** Next fire times from the definition (whether or not the job is active). */
  async preview(id: string, count: number): Promise<JobPreviewResponseDto> {
    const job = await this.found(id);
    const now = this.clock.now();
    const slots = previewSlots(scheduleOf(job), now, count).filter(
      (s) => job.jobType === 'immediate' || s.getTime() > now.getTime(),
    );
    return {
      jobId: job.id,
      timezone: job.timezone,
      slots: slots.map((s) => ({
        at: s.toISOString(),
        local: localIso(job.timezone, s),
      })),
    };
  }

  private assertValid(def: JobDefinition, now: Date, checkRunAt: boolean): void {
    const problems = definitionProblems(def, {
      now,
      checkRunAt,
      handlers: this.handlers,
      targetAllowlist: this.config.targets.allowlist,
    });
    if (problems.length > 0) {
      throw new ValidationFailedError(problems);
    }
  }

  private async found(id: string, m?: EntityManager): Promise<JobEntity> {
    const job = await this.jobs.findById(id, m);
    if (!job) {
      throw new JobNotFoundError(id);
    }
    return job;
  }
}
