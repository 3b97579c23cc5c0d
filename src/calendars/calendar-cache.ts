import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCHEDULER_DB } from '../core/database/data-source.js';
import { compileCalendar, type CalendarLookup, type CalendarRule } from './calendar-rules.js';
import { CalendarsRepository } from './calendars.repository.js';

/**
 * The scheduler's copy of the calendars its jobs exclude, so deciding a slot costs no query.
 * Loaded on demand (`ensure`, between two tries of a claim that found them `needed`). A `calendar_changed` notification marks an
 * entry stale at once (`invalidate`) and the next claim reloads it before deciding, so an edit
 * applies to every job that excludes the calendar, on every replica, as soon as the notification
 * arrives. A lost LISTEN connection marks everything stale (`invalidateAll`).
 */
@Injectable()
export class CalendarCache {
  private readonly logger = new Logger(CalendarCache.name);
  /** null: the calendar does not exist (deleted; no job can still reference it). */
  private readonly rules = new Map<string, CalendarRule | null>();
  /** Stale ids and their invalidation count, so a load that raced an edit stays stale. */
  private readonly stale = new Map<string, number>();
  private invalidations = 0;

  constructor(
    private readonly repo: CalendarsRepository,
    @InjectDataSource(SCHEDULER_DB) private readonly dataSource: DataSource,
  ) {}

  readonly lookup: CalendarLookup = (id) => this.rules.get(id) ?? undefined;

  /** The calendars among `ids` not loaded yet or edited since. */
  needed(ids: Iterable<string>): string[] {
    return [...new Set(ids)].filter((id) => !this.rules.has(id) || this.stale.has(id));
  }

  /** Loads the calendars among `ids` missing or stale (one query, only when there are some). */
  async ensure(ids: Iterable<string>): Promise<void> {
    const need = this.needed(ids);
    if (need.length === 0) {
      return;
    }
    const marks = new Map(need.map((id) => [id, this.stale.get(id)]));
    try {
      const found = await this.repo.findByIds(need, this.dataSource);
      const byId = new Map(found.map((c) => [c.id, compileCalendar(c)]));
      for (const id of need) {
        if (this.stale.get(id) === marks.get(id)) {
          this.rules.set(id, byId.get(id) ?? null);
          this.stale.delete(id);
        }
      }
    } catch (e) {
      // Stale rules stay in use until a load succeeds.
      this.logger.warn(`loading calendars failed: ${(e as Error).message}`);
    }
  }

  invalidate(id: string): void {
    this.stale.set(id, ++this.invalidations);
  }

  invalidateAll(): void {
    for (const id of this.rules.keys()) {
      this.invalidate(id);
    }
  }
}
