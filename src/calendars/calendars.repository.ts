import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CalendarData } from './calendar-rules.js';

/** A calendar as stored. */
export interface CalendarRecord extends CalendarData {
  name: string;
  description: string | null;
  dates: string[];
  ranges: { from: Date; to: Date }[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The writable part of a calendar. */
export type CalendarDefinition = Pick<
  CalendarRecord,
  'name' | 'description' | 'timezone' | 'dates' | 'ranges'
>;

interface CalendarRow {
  id: string;
  name: string;
  description: string | null;
  timezone: string;
  dates: string[];
  range_starts: Date[];
  range_ends: Date[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** dates as text: a `date` parsed by the driver would become local midnight of this process. */
const COLUMNS = `id, name, description, timezone, dates::text[] AS dates, range_starts, range_ends,
  version, created_at, updated_at`;

function toRecord(r: CalendarRow): CalendarRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    timezone: r.timezone,
    dates: r.dates,
    ranges: r.range_starts.map((from, i) => ({ from, to: r.range_ends[i] })),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function params(def: CalendarDefinition): unknown[] {
  return [
    def.name,
    def.description,
    def.timezone,
    def.dates,
    def.ranges.map((r) => r.from),
    def.ranges.map((r) => r.to),
  ];
}

/** Every SQL on `calendars` and `job_calendars` (the latter is written by a trigger on jobs). */
@Injectable()
export class CalendarsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(page: number, limit: number): Promise<{ items: CalendarRecord[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.dataSource.query<CalendarRow[]>(
        `SELECT ${COLUMNS} FROM calendars ORDER BY name, id LIMIT $1 OFFSET $2`,
        [limit, (page - 1) * limit],
      ),
      this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM calendars`),
    ]);
    return { items: rows.map(toRecord), total: count[0].n };
  }

  async findById(id: string): Promise<CalendarRecord | null> {
    const [row] = await this.dataSource.query<CalendarRow[]>(
      `SELECT ${COLUMNS} FROM calendars WHERE id = $1`,
      [id],
    );
    return row ? toRecord(row) : null;
  }

  /** The calendars among `ids` that exist (on `dataSource`, e.g. the scheduler's pool). */
  async findByIds(ids: readonly string[], dataSource = this.dataSource): Promise<CalendarRecord[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await dataSource.query<CalendarRow[]>(
      `SELECT ${COLUMNS} FROM calendars WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toRecord);
  }

  async insert(def: CalendarDefinition, em?: EntityManager): Promise<string> {
    const [row] = await (em ?? this.dataSource.manager).query<{ id: string }[]>(
      `INSERT INTO calendars (name, description, timezone, dates, range_starts, range_ends)
       VALUES ($1, $2, $3, $4::date[], $5::timestamptz[], $6::timestamptz[]) RETURNING id`,
      params(def),
    );
    return row.id;
  }

  /** version and updated_at move only if something changed (tr_calendars_version). */
  async update(id: string, def: CalendarDefinition, em: EntityManager): Promise<void> {
    await em.query(
      `UPDATE calendars SET name = $2, description = $3, timezone = $4, dates = $5::date[],
         range_starts = $6::timestamptz[], range_ends = $7::timestamptz[]
       WHERE id = $1`,
      [id, ...params(def)],
    );
  }

  /** The row, locked until the transaction of `em` ends. */
  async lock(id: string, em: EntityManager): Promise<CalendarRecord | null> {
    const [row] = await em.query<CalendarRow[]>(
      `SELECT ${COLUMNS} FROM calendars WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? toRecord(row) : null;
  }

  /** Jobs whose excludeCalendars name the calendar (at most `limit`, by name). */
  referencingJobs(
    calendarId: string,
    em: EntityManager = this.dataSource.manager,
    limit = 50,
  ): Promise<{ id: string; name: string }[]> {
    return em.query(
      `SELECT j.id, j.name FROM job_calendars jc JOIN jobs j ON j.id = jc.job_id
       WHERE jc.calendar_id = $1 ORDER BY j.name, j.id LIMIT $2`,
      [calendarId, limit],
    );
  }

  async countReferencingJobs(calendarId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM job_calendars WHERE calendar_id = $1`,
      [calendarId],
    );
    return row.n;
  }

  async remove(id: string, em: EntityManager): Promise<void> {
    await em.query(`DELETE FROM calendars WHERE id = $1`, [id]);
  }

  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }
}
