import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { AuditEntry } from '../audit/audit.types.js';
import { ValidationFailedError, type ErrorDetail } from '../core/errors/app-error.js';
import { assertVersionMatches, type IfMatchCondition } from '../core/http/etag.js';
import { toPagination, type PaginationQueryDto } from '../core/http/pagination.dto.js';
import { lookupOf, type CalendarLookup } from './calendar-rules.js';
import { toCalendarResponse } from './calendar.mapper.js';
import { CalendarInUseError, CalendarNotFoundError } from './calendars.errors.js';
import { CalendarsRepository, type CalendarDefinition } from './calendars.repository.js';
import type { CreateCalendarDto } from './dto/create-calendar.dto.js';
import type {
  CalendarJobsResponseDto,
  CalendarListResponseDto,
  CalendarResponseDto,
} from './dto/calendar.response.js';
import type { UpdateCalendarDto } from './dto/update-calendar.dto.js';

const FK_VIOLATION = '23503';
/** GET /api/calendars/{id}/jobs names at most this many jobs (and counts them all). */
export const CALENDAR_JOBS_LIMIT = 100;

type CalendarRecord = Parameters<typeof toCalendarResponse>[0];

/** The audit entry of a calendar change (the resource as the API shows it, before and after). */
function calendarAudit(before: CalendarRecord | null, after: CalendarRecord | null): AuditEntry {
  const action =
    before && after ? 'calendar.update' : before ? 'calendar.delete' : 'calendar.create';
  const id = (after ?? before)?.id ?? '';
  return {
    action,
    resourceType: 'calendar',
    resourceId: id,
    before: before && { ...toCalendarResponse(before), createdAt: undefined, updatedAt: undefined },
    after: after && { ...toCalendarResponse(after), createdAt: undefined, updatedAt: undefined },
    always: !(before && after),
  };
}

/** Calendar use cases, and what jobs ask of calendars (validation of ids, rules for preview). */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly calendars: CalendarsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(query: PaginationQueryDto): Promise<CalendarListResponseDto> {
    const { items, total } = await this.calendars.list(query.page, query.limit);
    return {
      calendars: items.map(toCalendarResponse),
      pagination: toPagination(query.page, query.limit, total),
    };
  }

  async get(id: string): Promise<CalendarResponseDto> {
    return toCalendarResponse(await this.found(id));
  }

  /** Which jobs exclude the calendar (what its delete would be refused for). */
  async jobs(id: string): Promise<CalendarJobsResponseDto> {
    await this.found(id);
    const [jobs, total] = await Promise.all([
      this.calendars.referencingJobs(id, undefined, CALENDAR_JOBS_LIMIT),
      this.calendars.countReferencingJobs(id),
    ]);
    return { jobs, total };
  }

  async create(dto: CreateCalendarDto): Promise<CalendarResponseDto> {
    const def = definitionOf({
      name: dto.name,
      description: dto.description ?? null,
      timezone: dto.timezone,
      dates: dto.dates ?? [],
      ranges: dto.ranges ?? [],
    });
    const id = await this.calendars.transaction(async (em) => {
      const created = await this.calendars.insert(def, em);
      const after = await this.calendars.lock(created, em);
      await this.audit.record(em, calendarAudit(null, after));
      return created;
    });
    return this.get(id);
  }

  /**
   * Partial: omitted fields stay; `dates` and `ranges` given replace the stored lists. If-Match is
   * checked under the row lock, so nothing can change the calendar between the check and the write.
   */
  async update(
    id: string,
    dto: UpdateCalendarDto,
    ifMatch?: IfMatchCondition,
  ): Promise<CalendarResponseDto> {
    const nulls = (['name', 'timezone', 'dates', 'ranges'] as const)
      .filter((k) => dto[k] === null)
      .map((k) => ({ field: k, message: `${k} must not be null` }));
    if (nulls.length > 0) {
      throw new ValidationFailedError(nulls);
    }
    await this.calendars.transaction(async (em) => {
      const current = await this.calendars.lock(id, em);
      if (!current) {
        throw new CalendarNotFoundError(id);
      }
      assertVersionMatches(ifMatch, 'calendar', current.version);
      const def = definitionOf({
        name: dto.name ?? current.name,
        description: dto.description === undefined ? current.description : dto.description,
        timezone: dto.timezone ?? current.timezone,
        dates: dto.dates ?? current.dates,
        ranges: dto.ranges ?? current.ranges,
      });
      await this.calendars.update(id, def, em);
      await this.audit.record(em, calendarAudit(current, await this.calendars.lock(id, em)));
    });
    return this.get(id);
  }

  /** 409 naming the jobs while any job excludes it; answers the deleted calendar. */
  async remove(id: string, ifMatch?: IfMatchCondition): Promise<CalendarResponseDto> {
    try {
      return await this.calendars.transaction(async (em) => {
        const current = await this.calendars.lock(id, em);
        if (!current) {
          throw new CalendarNotFoundError(id);
        }
        assertVersionMatches(ifMatch, 'calendar', current.version);
        const jobs = await this.calendars.referencingJobs(id, em);
        if (jobs.length > 0) {
          throw new CalendarInUseError(jobs);
        }
        await this.calendars.remove(id, em);
        await this.audit.record(em, calendarAudit(current, null));
        return toCalendarResponse(current);
      });
    } catch (e) {
      if ((e as { driverError?: { code?: string } }).driverError?.code === FK_VIOLATION) {
        throw new CalendarInUseError([]);
      }
      throw e;
    }
  }

  /** The ids among `ids` that name no calendar. */
  async unknownIds(ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.calendars.findByIds(ids)).map((c) => c.id));
    return ids.filter((id) => !found.has(id));
  }

  /** The compiled calendars of `ids`, as of now (preview, backfill). */
  async lookup(ids: readonly string[]): Promise<CalendarLookup> {
    return lookupOf(await this.calendars.findByIds(ids));
  }

  private async found(id: string) {
    const c = await this.calendars.findById(id);
    if (!c) {
      throw new CalendarNotFoundError(id);
    }
    return c;
  }
}

interface DefinitionInput {
  name: string;
  description: string | null;
  timezone: string;
  dates: string[];
  ranges: { from: string | Date; to: string | Date }[];
}

/** Checks the rule across fields (from < to) and normalises: dates unique and sorted. */
function definitionOf(input: DefinitionInput): CalendarDefinition {
  const ranges = input.ranges.map((r) => ({ from: new Date(r.from), to: new Date(r.to) }));
  const problems: ErrorDetail[] = ranges.flatMap((r, i) =>
    r.from.getTime() < r.to.getTime()
      ? []
      : [{ field: `ranges.${i}.to`, message: `ranges.${i}.to must be after ranges.${i}.from` }],
  );
  if (problems.length > 0) {
    throw new ValidationFailedError(problems);
  }
  return { ...input, dates: [...new Set(input.dates)].sort(), ranges };
}
