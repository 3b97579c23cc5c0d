import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuditListResponseDto, ResourceAuditQueryDto } from '../audit/dto/audit.dto.js';
import {
  assertVersionMatches,
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
import { ALERT_CHANNELS, type AlertChannelCatalog } from './job-alerts.js';
import { toJobResponse, toJobStats } from './job.mapper.js';
import { JobNotFoundError } from './jobs.errors.js';
import { JobsRepository, type JobStateChange } from './jobs.repository.js';
import { localIso } from '../core/time/zone.js';
import { describeSchedule } from './schedule/describe.js';
import { scheduleOf, slotPlan, type ScheduleFields } from './schedule/schedule.js';
import type { PreviewQueryDto } from './dto/preview.query.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { assertKnownCalendars, calendarRaceAs400 } from './job-calendars.js';

const HISTORY_SIZE = 10;

/**
 * What an update changes beside the definition: an explicit isActive ends a pause (activation
 * resumes it, deactivation keeps the job off); a new maxRuns, or activating a job that used up
 * its runs, starts the count again.
 */
function stateChange(job: JobEntity, merged: JobDefinition, dto: UpdateJobDto): JobStateChange {
  const renewed =
    merged.maxRuns !== job.maxRuns || (merged.isActive && !job.isActive && job.remainingRuns === 0);
  return {
    endPause: dto.isActive !== undefined,
    remainingRuns: renewed ? merged.maxRuns : undefined,
  };
}

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
    private readonly calendars: CalendarsService,
    private readonly audit: AuditService,
    @Optional() @Inject(HANDLER_CATALOG) handlers?: HandlerCatalog,
    @Optional() @Inject(ALERT_CHANNELS) private readonly channels?: AlertChannelCatalog,
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
    await assertKnownCalendars(this.calendars, def.excludeCalendars);
    await this.assertChannels(def);
    const job = await this.dataSource
      .transaction(async (m) => {
        const created = await this.jobs.insert(def, initialNextRunAt(def, now), m);
        await this.audit.record(m, jobAudit(null, created));
        return created;
      })
      .catch(calendarRaceAs400);
    return toJobResponse(job);
  }

  /** The job resource (after an action). */
  async one(id: string): Promise<JobResponseDto> {
    return toJobResponse(await this.found(id));
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
    const updated = await this.dataSource
      .transaction(async (m) => {
        const job = await this.jobs.findForUpdate(id, m);
        if (!job) {
          throw new JobNotFoundError(id);
        }
        // Under the row lock: no other write can slip between this check and the UPDATE.
        assertVersionMatches(ifMatch, 'job', job.version);
        const { merged, problems } = mergeDefinition(definitionOf(job), dto);
        if (problems.length > 0) {
          throw new ValidationFailedError(problems);
        }
        const now = this.clock.now();
        const activating = merged.isActive && !job.isActive;
        this.assertValid(
          merged,
          now,
          [dto.runAt, dto.jobType, dto.startAt, dto.endAt].some((v) => v !== undefined) ||
            activating,
        );
        await assertKnownCalendars(this.calendars, dto.excludeCalendars);
        if (dto.alerts) {
          await this.assertChannels(merged);
        }
        // Unchanged timing leaves next_run_at to the scheduler, which advances it on every firing.
        const nextRunAt = timingChanged(job, merged) ? initialNextRunAt(merged, now) : undefined;
        await this.jobs.update(id, merged, nextRunAt, m, stateChange(job, merged, dto));
        const after = await this.found(id, m);
        await this.audit.record(m, jobAudit(job, after));
        return after;
      })
      .catch(calendarRaceAs400);
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
  async preview(id: string, query: PreviewQueryDto): Promise<JobPreviewResponseDto> {
    return this.previewOf(await this.found(id), query);
  }

  /** The preview of a create body: validated as POST /api/jobs would, nothing written. */
  async previewDraft(dto: CreateJobDto, query: PreviewQueryDto): Promise<JobPreviewResponseDto> {
    const def = definitionFromCreate(dto, this.config.scheduler.defaultTimezone);
    this.assertValid(def, this.clock.now(), true);
    await assertKnownCalendars(this.calendars, dto.excludeCalendars);
    return this.previewOf(def, query);
  }

  private async previewOf(
    job: ScheduleFields,
    query: PreviewQueryDto,
  ): Promise<JobPreviewResponseDto> {
    const now = this.clock.now();
    const zone = job.timezone;
    const schedule = scheduleOf(job, await this.calendars.lookup(job.excludeCalendars ?? []));
    const plan = slotPlan(schedule, now, query.count, query.includeSkipped === 'true');
    const slots = plan.filter(
      (s) => job.jobType === 'immediate' || s.nominal.getTime() > now.getTime(),
    );
    return {
      jobId: job.id ?? null,
      timezone: zone,
      description: describeSchedule(job),
      slots: slots.map((s) => ({
        at: s.at.toISOString(),
        local: localIso(zone, s.at),
        ...(s.at.getTime() === s.nominal.getTime() ? {} : { nominal: s.nominal.toISOString() }),
        ...(s.skipped ? { skipped: s.skipped } : {}),
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

  /** Every channel an alerts block names must exist (400 on `alerts.channels` otherwise). */
  private async assertChannels(def: JobDefinition): Promise<void> {
    const ids = def.alerts?.channels ?? [];
    const missing = ids.length > 0 && this.channels ? await this.channels.missing(ids) : [];
    if (missing.length > 0) {
      throw new ValidationFailedError([
        { field: 'alerts.channels', message: `unknown channel(s): ${missing.join(', ')}` },
      ]);
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
