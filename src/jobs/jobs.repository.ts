import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type QueryDeepPartialEntity,
  type Repository,
} from 'typeorm';
import { entitySelectList } from '../core/database/entity-select.js';
import { WhereBuilder } from '../core/database/where-builder.js';
import type { JobDefinition } from './job-definition.js';
import { JobEntity, type JobType } from './job.entity.js';

export interface JobSearch {
  search?: string;
  jobType?: JobType;
  isActive?: boolean;
  /** A job matches when it carries all of these tags. */
  tags?: string[];
}

export interface JobStatsRow {
  totalJobs: number;
  activeJobs: number;
  scheduled: number;
  immediate: number;
  recurring: number;
  delayed: number;
  totalExecutions: number;
  successfulExecutions: number;
  failedExecutions: number;
}

/**
 * The text the trigram index `ix_jobs_text_trgm` covers: name and description in one value, so
 * a search reads the index once. Must stay the index's expression, character for character.
 */
export const SEARCH_TEXT = `(name || E'\\n' || coalesce(description, ''))`;

/** How many filters' totals a replica keeps (each a few dozen bytes). */
const TOTALS_CACHED = 1_000;

/** `%`, `_` and `\` are LIKE metacharacters; escaped, the user's text matches literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * TypeORM's deep-partial type cannot see that a JSON object column takes a plain object.
 * `nextRunAt` undefined leaves the column alone (the scheduler may have advanced it meanwhile).
 */
function row(def: JobDefinition, nextRunAt?: Date | null): QueryDeepPartialEntity<JobEntity> {
  return (
    nextRunAt === undefined ? { ...def } : { ...def, nextRunAt }
  ) as QueryDeepPartialEntity<JobEntity>;
}

/** A pause: until when (null = until resumed by hand) and why. */
export interface JobPause {
  until: Date | null;
  note: string | null;
}

/** State an API write changes beside the definition. */
export interface JobStateChange {
  /** An explicit isActive ends a pause. */
  endPause?: boolean;
  /** A new run budget (maxRuns set, or an exhausted job activated again). */
  remainingRuns?: number | null;
}

const NOT_PAUSED = { pausedAt: null, pausedUntil: null, pauseNote: null };
/** $1 until, $2 limit (bench/console.ts runs the same text). */
export const soonestDueSql = (selectList: string): string =>
  `SELECT ${selectList} FROM jobs
    WHERE is_active AND next_run_at IS NOT NULL AND next_run_at < $1
    ORDER BY next_run_at LIMIT $2`;

/** Every SQL the jobs API runs. Counters are never written here (the scheduler owns them). */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<JobEntity> {
    return (manager ?? this.dataSource.manager).getRepository(JobEntity);
  }

  private columns?: string;

  /** Every column as its property name (see entitySelectList), built on first use. */
  private get selectList(): string {
    return (this.columns ??= entitySelectList(this.dataSource, JobEntity));
  }

  /** Filter key -> total and the list generation it was counted at (see `search`). */
  private readonly totals = new Map<string, { gen: string; total: number }>();

  /**
   * Newest first. Search is one scan of the trigram index over name and description
   * (`SEARCH_TEXT`), rechecked per field so a match spanning the two is not one; tags by GIN.
   *
   * Totals: the page comes back with the list generation read in its snapshot (a number every
   * transaction that inserts, deletes or redefines a job changes: migration
   * 1796800000000-ListSearchAndTotals). A filter's total, counted in one statement with the
   * generation, is reused while the generation is the same, so it is exact on every replica at
   * once and a list costs one statement instead of a page plus a count(*) of every match.
   * Statements are unnamed on purpose: a generic plan cannot see the search pattern and walks the
   * created_at index instead of the trigram one.
   */
  async search(
    filter: JobSearch,
    page: number,
    limit: number,
  ): Promise<{ items: JobEntity[]; total: number }> {
    const where = new WhereBuilder();
    if (filter.search) {
      where.add(
        likePattern(filter.search),
        (p) =>
          `${SEARCH_TEXT} ILIKE ${p} ESCAPE '\\' ` +
          `AND (name ILIKE ${p} ESCAPE '\\' OR description ILIKE ${p} ESCAPE '\\')`,
      );
    }
    if (filter.jobType) {
      where.add(filter.jobType, (p) => `job_type = ${p}`);
    }
    if (filter.isActive !== undefined) {
      where.add(filter.isActive, (p) => `is_active = ${p}`);
    }
    if (filter.tags && filter.tags.length > 0) {
      where.add(filter.tags, (p) => `tags @> CAST(${p} AS text[])`);
    }
    const key = JSON.stringify(where.params);
    const rows = await this.dataSource.query<(JobEntity & { listGen: string })[]>(
      `SELECT ${this.selectList}, (SELECT gen FROM job_list_generation) AS "listGen"
         FROM jobs ${where.sql}
        ORDER BY created_at DESC, id DESC LIMIT ${where.next(1)} OFFSET ${where.next(2)}`,
      [...where.params, limit, (page - 1) * limit],
    );
    const items = rows.map(({ listGen: _gen, ...job }) => job);
    const cached = this.totals.get(key);
    if (rows.length > 0 && cached?.gen === rows[0].listGen) {
      return { items, total: cached.total };
    }
    const [counted] = await this.dataSource.query<{ total: number; gen: string }[]>(
      `SELECT count(*)::int AS total, (SELECT gen FROM job_list_generation) AS gen
         FROM jobs ${where.sql}`,
      where.params,
    );
    this.remember(key, counted);
    return { items, total: counted.total };
  }

  /** Keeps the newest totals, at most TOTALS_CACHED filters (Map order = insertion order). */
  private remember(key: string, entry: { gen: string; total: number }): void {
    this.totals.delete(key);
    this.totals.set(key, entry);
    if (this.totals.size > TOTALS_CACHED) {
      this.totals.delete(this.totals.keys().next().value as string);
    }
  }

  async findById(id: string, manager?: EntityManager): Promise<JobEntity | null> {
    const rows = await (manager ?? this.dataSource.manager).query<JobEntity[]>(
      `SELECT ${this.selectList} FROM jobs WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The row, locked FOR UPDATE until the transaction of `manager` ends. */
  async findForUpdate(id: string, manager: EntityManager): Promise<JobEntity | null> {
    const rows = await manager.query<JobEntity[]>(
      `SELECT ${this.selectList} FROM jobs WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Inserts the job and returns its row as `findById` reads it, in one statement. */
  async insert(
    def: JobDefinition,
    nextRunAt: Date | null,
    manager?: EntityManager,
  ): Promise<JobEntity> {
    const result = await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values({ ...row(def, nextRunAt), remainingRuns: def.maxRuns })
      .returning(this.selectList)
      .updateEntity(false)
      .execute();
    return (result.raw as JobEntity[])[0];
  }

  async update(
    id: string,
    def: JobDefinition,
    nextRunAt: Date | null | undefined,
    manager?: EntityManager,
    state: JobStateChange = {},
  ): Promise<boolean> {
    const { endPause, remainingRuns } = state;
    const result = await this.repo(manager).update(
      { id },
      {
        ...row(def, nextRunAt),
        ...(endPause ? NOT_PAUSED : {}),
        ...(remainingRuns === undefined ? {} : { remainingRuns }),
      },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes the job (its history goes by cascade) and returns the row as it was, or null when
   * it does not exist or its version is not one of `versions` (null: any).
   */
  async remove(
    id: string,
    versions: number[] | null,
    manager: EntityManager,
  ): Promise<JobEntity | null> {
    // TypeORM answers a DELETE … RETURNING as [rows, rowCount].
    const [rows] = await manager.query<[JobEntity[], number]>(
      `DELETE FROM jobs WHERE id = $1 AND ($2::int[] IS NULL OR version = ANY($2::int[]))
       RETURNING ${this.selectList}`,
      [id, versions],
    );
    return rows[0] ?? null;
  }

  /** Locks the existing rows among `ids` for the rest of the transaction. */
  lockMany(ids: string[], manager: EntityManager): Promise<JobEntity[]> {
    return manager.query<JobEntity[]>(
      `SELECT ${this.selectList} FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
  }

  /** Activation ends a pause (an explicit activation overrides it). */
  async activate(
    id: string,
    nextRunAt: Date | null,
    remainingRuns: number | null,
    manager: EntityManager,
  ): Promise<void> {
    await this.repo(manager).update(
      { id },
      { isActive: true, nextRunAt, remainingRuns, ...NOT_PAUSED },
    );
  }

  /** Deactivation ends a pause too, so a timed pause cannot re-activate the job later. */
  async deactivateMany(ids: string[], manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE jobs SET is_active = false, next_run_at = NULL,
         paused_at = NULL, paused_until = NULL, pause_note = NULL
       WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /**
   * Pauses an active job, or changes the until/note of a paused one (keeping its paused_at).
   * Returns false when the job is inactive without being paused (or does not exist).
   */
  async pause(id: string, pause: JobPause, manager?: EntityManager): Promise<boolean> {
    const [rows] = await (manager ?? this.dataSource.manager).query<[unknown[], number]>(
      `UPDATE jobs SET is_active = false, next_run_at = NULL,
         paused_at = coalesce(paused_at, now()), paused_until = $2, pause_note = $3
       WHERE id = $1 AND (is_active OR paused_at IS NOT NULL) RETURNING id`,
      [id, pause.until, pause.note],
    );
    return rows.length > 0;
  }

  /**
   * Ends the pause; active again at `nextRunAt`, or inactive when the job has no slot left.
   * Resuming starts a new failure streak (autoPauseAfterFailures counts from zero again).
   */
  async resume(id: string, nextRunAt: Date | null, manager: EntityManager): Promise<void> {
    await this.repo(manager).update(
      { id },
      { isActive: nextRunAt !== null, nextRunAt, ...NOT_PAUSED },
    );
    await manager.query(`UPDATE jobs SET consecutive_failures = 0 WHERE id = $1`, [id]);
  }

  async deleteMany(ids: string[], manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM jobs WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The active jobs due soonest, at most `limit`, whose next slot is before `until`: a scan of the
   * jobs with a top-`limit` sort. There is deliberately no index on next_run_at (every claim
   * changes it, and an index would make those updates non-HOT: HotSlotClaims1796000000000), so
   * the cost grows with the number of jobs (bench:console measures it at 100,000).
   */
  soonestDue(until: Date, limit: number): Promise<JobEntity[]> {
    return this.dataSource.query<JobEntity[]>(soonestDueSql(this.selectList), [until, limit]);
  }

  /** One pass over jobs with COUNT FILTER; execution numbers are sums of the SQL-kept counters. */
  async stats(): Promise<JobStatsRow> {
    const rows = await this.dataSource.query<Record<keyof JobStatsRow, string>[]>(`
      SELECT count(*) AS "totalJobs",
             count(*) FILTER (WHERE is_active) AS "activeJobs",
             count(*) FILTER (WHERE job_type = 'scheduled') AS "scheduled",
             count(*) FILTER (WHERE job_type = 'immediate') AS "immediate",
             count(*) FILTER (WHERE job_type = 'recurring') AS "recurring",
             count(*) FILTER (WHERE job_type = 'delayed') AS "delayed",
             coalesce(sum(total_runs), 0) AS "totalExecutions",
             coalesce(sum(successful_runs), 0) AS "successfulExecutions",
             coalesce(sum(failed_runs), 0) AS "failedExecutions"
        FROM jobs`);
    const row = rows[0];
    return Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, Number(v)]),
    ) as unknown as JobStatsRow;
  }
}
