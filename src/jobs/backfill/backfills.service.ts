import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuditEntry } from '../../audit/audit.types.js';
import { AppError, ValidationFailedError, type ErrorDetail } from '../../core/errors/app-error.js';
import { EventBus } from '../../core/events/event-bus.js';
import { toPagination, type PaginationQueryDto } from '../../core/http/pagination.dto.js';
import { Clock } from '../../core/time/clock.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { BackfillsRepository, type BackfillRecord } from '../../executions/backfills.repository.js';
import { JobNotFoundError } from '../jobs.errors.js';
import { JobsRepository } from '../jobs.repository.js';
import { scheduleOf } from '../schedule/schedule.js';
import { slotsInRange } from '../schedule/slot-range.js';
import { MAX_BACKFILL_SLOTS, type CreateBackfillDto } from './backfill.dto.js';
import type {
  BackfillCreatedResponseDto,
  BackfillListResponseDto,
  BackfillResponseDto,
} from './backfill.response.js';

export class BackfillNotFoundError extends AppError {
  constructor() {
    super('NOT_FOUND', 'Backfill not found');
  }
}

export class BackfillNotRunningError extends AppError {
  constructor(status: string) {
    super('CONFLICT', `Backfill is not running (it is ${status})`);
  }
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A backfill started or cancelled, on the job's audit trail. */
const backfillAudit = (action: string, jobId: string, after: object): AuditEntry => ({
  action,
  resourceType: 'job',
  resourceId: jobId,
  after: { ...after },
});

function toBackfillResponse(b: BackfillRecord): BackfillResponseDto {
  return {
    backfillId: b.id,
    jobId: b.jobId,
    status: b.status,
    from: b.from.toISOString(),
    to: b.to.toISOString(),
    total: b.slots.length,
    started: b.nextIndex,
    remaining: b.slots.length - b.nextIndex,
    currentSlot: iso(b.currentSlot),
    runs: b.runs,
    slots: b.slots.map((s) => s.toISOString()),
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    finishedAt: iso(b.finishedAt),
  };
}

/**
 * Backfill use cases: the slots come from the schedule model (calendars applied), the runs are
 * started by the scheduler's BackfillRunner on whichever replica claims them.
 */
@Injectable()
export class BackfillsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly backfills: BackfillsRepository,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(
    jobId: string,
    dto: CreateBackfillDto,
    createdBy: string | null,
  ): Promise<BackfillCreatedResponseDto> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    const problems: ErrorDetail[] = [];
    if (to.getTime() <= from.getTime()) {
      problems.push({ field: 'to', message: 'to must be after from' });
    } else if (to.getTime() > this.clock.nowMs()) {
      problems.push({ field: 'to', message: 'to must not be in the future' });
    }
    if (problems.length > 0) {
      throw new ValidationFailedError(problems);
    }
    const job = await this.jobs.findById(jobId);
    if (!job) {
      throw new JobNotFoundError(jobId);
    }
    const schedule = scheduleOf(job, await this.calendars.lookup(job.excludeCalendars));
    const { slots, truncated } = slotsInRange(schedule, from, to, MAX_BACKFILL_SLOTS);
    if (truncated) {
      throw new ValidationFailedError([
        {
          field: 'to',
          message: `[from, to] holds more than ${MAX_BACKFILL_SLOTS} slots of this job; narrow the range`,
        },
      ]);
    }
    if (slots.length === 0) {
      throw new ValidationFailedError([
        { field: 'from', message: 'no slot of this job lies in [from, to]' },
      ]);
    }
    const out = slots.map((s) => s.toISOString());
    if (dto.dryRun) {
      return { backfillId: null, slots: out, dryRun: true };
    }
    const backfillId = await this.dataSource.transaction(async (m) => {
      const id = await this.backfills.create(jobId, from, to, slots, createdBy, m);
      await this.audit.record(
        m,
        backfillAudit('job.backfill', jobId, {
          backfillId: id,
          from: from.toISOString(),
          to: to.toISOString(),
          slots: slots.length,
        }),
      );
      return id;
    });
    this.events.publish('backfill.created', { jobId, backfillId });
    return { backfillId, slots: out, dryRun: false };
  }

  async get(jobId: string, backfillId: string): Promise<BackfillResponseDto> {
    return toBackfillResponse(await this.found(jobId, backfillId));
  }

  async list(jobId: string, query: PaginationQueryDto): Promise<BackfillListResponseDto> {
    const [job, page] = await Promise.all([
      this.jobs.findById(jobId),
      this.backfills.list(jobId, query.page, query.limit),
    ]);
    if (!job) {
      throw new JobNotFoundError(jobId);
    }
    return {
      backfills: page.items.map(toBackfillResponse),
      pagination: toPagination(query.page, query.limit, page.total),
    };
  }

  /** Stops starting slots; a run already going finishes. 409 once completed or cancelled. */
  async cancel(jobId: string, backfillId: string): Promise<BackfillResponseDto> {
    const cancelled = await this.dataSource.transaction(async (m) => {
      const done = await this.backfills.cancel(jobId, backfillId, m);
      if (done) {
        await this.audit.record(m, backfillAudit('job.backfill_cancel', jobId, { backfillId }));
      }
      return done;
    });
    if (!cancelled) {
      const b = await this.found(jobId, backfillId);
      throw new BackfillNotRunningError(b.status);
    }
    return this.get(jobId, backfillId);
  }

  private async found(jobId: string, backfillId: string): Promise<BackfillRecord> {
    const b = await this.backfills.find(jobId, backfillId);
    if (!b) {
      throw new BackfillNotFoundError();
    }
    return b;
  }
}
