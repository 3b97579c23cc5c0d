import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SCHEDULER_DB } from '../core/database/data-source.js';
import { lockDueAndJobs } from './claim-locks.js';
import { runningRunOf } from './execution.sql.js';
import { RUNNABLE_COLUMNS, toRunnableJob, type ClaimedRun, type RunnableRow } from './run.types.js';

export type BackfillStatus = 'running' | 'completed' | 'cancelled';

export interface BackfillRecord {
  id: string;
  jobId: string;
  from: Date;
  to: Date;
  slots: Date[];
  /** Slots started so far (the cursor): slots[0 .. nextIndex) have had their run. */
  nextIndex: number;
  status: BackfillStatus;
  /** The slot of the run started last (null before the first). */
  currentSlot: Date | null;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** Attempts of this backfill's runs by outcome (retries included). */
  runs: { completed: number; failed: number; running: number };
}

interface BackfillRow {
  id: string;
  job_id: string;
  range_from: Date;
  range_to: Date;
  slots: Date[];
  next_index: number;
  status: BackfillStatus;
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
  runs: { completed: number; failed: number; running: number };
}

/** Each backfill run's Idempotency-Key: `<job id>:backfill:<backfill id>:<slot, ISO 8601>`. */
const KEY_PREFIX = `b.job_id::text || ':backfill:' || b.id::text || ':'`;
const SLOT_KEY = (slot: string): string =>
  `${KEY_PREFIX} || to_char(${slot} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const COLUMNS = `b.id, b.job_id, b.range_from, b.range_to, b.slots, b.next_index, b.status,
  b.created_by, b.created_at, b.finished_at,
  (SELECT json_build_object(
      'completed', count(*) FILTER (WHERE e.status = 'completed'),
      'failed', count(*) FILTER (WHERE e.status IN ('failed', 'timeout', 'interrupted')),
      'running', count(*) FILTER (WHERE e.status = 'running'))
   FROM job_executions e
   WHERE e.job_id = b.job_id AND e.trigger IN ('backfill', 'retry', 'recovery')
     AND starts_with(e.idempotency_key, ${KEY_PREFIX})) AS runs`;

/**
 * Whether the run a backfill started last still holds it up: running, or waiting in
 * job_pending_runs as a retry or a recovery re-run (same idempotency key).
 */
const CURRENT_BUSY = `(b.current_execution_id IS NOT NULL AND (
    EXISTS (SELECT 1 FROM job_executions e WHERE e.id = b.current_execution_id
      AND e.started_at = b.current_started_at AND e.status = 'running')
    OR EXISTS (SELECT 1 FROM job_pending_runs p
      WHERE p.job_id = b.job_id AND p.idempotency_key = b.current_key)))`;

function toRecord(r: BackfillRow): BackfillRecord {
  return {
    id: r.id,
    jobId: r.job_id,
    from: r.range_from,
    to: r.range_to,
    slots: r.slots,
    nextIndex: r.next_index,
    status: r.status,
    currentSlot: r.next_index > 0 ? r.slots[r.next_index - 1] : null,
    createdBy: r.created_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    runs: r.runs,
  };
}

interface BackfillRunRaw extends RunnableRow {
  execution_id: string;
  started_at: Date;
  scheduled_for: Date;
  idempotency_key: string;
}

/**
 * Backfills (issue 15): a job's past slots run one after another. The row holds the slots and a
 * cursor; a replica claims the next slot by locking the row (SKIP LOCKED), inserting the slot's
 * execution and advancing the cursor in one transaction, so each slot runs once across replicas
 * and a restart resumes at the cursor.
 */
@Injectable()
export class BackfillsRepository {
  constructor(
    /** The API's pool (create, read, cancel). */
    private readonly apiDataSource: DataSource,
    @InjectDataSource(SCHEDULER_DB) private readonly dataSource: DataSource,
  ) {}

  async create(
    jobId: string,
    from: Date,
    to: Date,
    slots: Date[],
    createdBy: string | null,
    em: EntityManager = this.apiDataSource.manager,
  ) {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO job_backfills (job_id, range_from, range_to, slots, created_by)
       VALUES ($1, $2, $3, $4::timestamptz[], $5) RETURNING id`,
      [jobId, from, to, slots, createdBy],
    );
    return row.id;
  }

  async find(jobId: string, id: string): Promise<BackfillRecord | null> {
    const [row] = await this.apiDataSource.query<BackfillRow[]>(
      `SELECT ${COLUMNS} FROM job_backfills b WHERE b.job_id = $1 AND b.id = $2`,
      [jobId, id],
    );
    return row ? toRecord(row) : null;
  }

  async list(
    jobId: string,
    page: number,
    limit: number,
  ): Promise<{ items: BackfillRecord[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.apiDataSource.query<BackfillRow[]>(
        `SELECT ${COLUMNS} FROM job_backfills b WHERE b.job_id = $1
         ORDER BY b.created_at DESC, b.id DESC LIMIT $2 OFFSET $3`,
        [jobId, limit, (page - 1) * limit],
      ),
      this.apiDataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM job_backfills WHERE job_id = $1`,
        [jobId],
      ),
    ]);
    return { items: rows.map(toRecord), total: count[0].n };
  }

  /** Stops a running backfill (its run in progress finishes). False when it was not running. */
  async cancel(
    jobId: string,
    id: string,
    em: EntityManager = this.apiDataSource.manager,
  ): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING as [rows, rowCount].
    const [, count] = await em.query<[unknown[], number]>(
      `UPDATE job_backfills SET status = 'cancelled', finished_at = now()
       WHERE job_id = $1 AND id = $2 AND status = 'running' RETURNING id`,
      [jobId, id],
    );
    return count > 0;
  }

  /** Marks running backfills whose every slot has run (and whose last run ended) completed. */
  async completeFinished(): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE job_backfills b SET status = 'completed', finished_at = now()
       WHERE b.status = 'running' AND b.next_index = cardinality(b.slots) AND NOT ${CURRENT_BUSY}
       RETURNING b.id`,
    );
    return count;
  }

  /** Whether any backfill is running (so an idle cluster's poll costs one index probe). */
  async anyRunning(): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM job_backfills WHERE status = 'running' LIMIT 1`,
    );
    return rows.length > 0;
  }

  /**
   * Starts the next slot of up to `limit` running backfills: one per job, only once the run it
   * started last has ended (retries and recovery included), and, unless the job's policy is
   * `allow`, only while no other run of the job is running (a backfill waits; it never replaces
   * or is skipped). Backfills and jobs locked elsewhere are skipped, never waited for.
   */
  async claimNext(replicaId: string, limit: number): Promise<ClaimedRun[]> {
    return this.dataSource.transaction(async (em) => {
      const locked = await lockDueAndJobs(
        em,
        `SELECT b.id, b.job_id FROM job_backfills b
         WHERE b.status = 'running' AND b.next_index < cardinality(b.slots) AND NOT ${CURRENT_BUSY}
         ORDER BY b.created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        limit,
      );
      if (!locked) {
        return [];
      }
      // A separate statement: its snapshot sees runs committed before our job locks were granted.
      const rows: BackfillRunRaw[] = await em.query(
        `WITH cand AS (
           SELECT DISTINCT ON (b.job_id) b.id AS backfill_id, b.job_id, b.next_index,
             b.slots[b.next_index + 1] AS slot, ${SLOT_KEY('b.slots[b.next_index + 1]')} AS key
           FROM job_backfills b WHERE b.id = ANY($1::uuid[]) AND b.job_id = ANY($2::uuid[])
           ORDER BY b.job_id, b.created_at
         ), go AS (
           SELECT c.*, j.id, ${RUNNABLE_COLUMNS} FROM cand c JOIN jobs j ON j.id = c.job_id
           WHERE j.concurrency_policy = 'allow' OR NOT ${runningRunOf('j.id')}
         ), ins AS (
           INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at,
             replica_id, idempotency_key)
           SELECT job_id, 'running', 'backfill', slot, date_trunc('milliseconds', now()), $3, key
           FROM go
           RETURNING id, job_id, started_at, scheduled_for, idempotency_key
         ), adv AS (
           UPDATE job_backfills b SET next_index = go.next_index + 1,
             current_execution_id = ins.id, current_started_at = ins.started_at,
             current_key = ins.idempotency_key
           FROM go JOIN ins ON ins.job_id = go.job_id
           WHERE b.id = go.backfill_id AND b.next_index = go.next_index
         )
         SELECT go.*, ins.id AS execution_id, ins.started_at, ins.scheduled_for,
           ins.idempotency_key
         FROM go JOIN ins ON ins.job_id = go.job_id`,
        [locked.dueIds, locked.jobIds, replicaId],
      );
      return rows.map((r) => ({
        executionId: r.execution_id,
        startedAt: r.started_at,
        scheduledFor: r.scheduled_for,
        trigger: 'backfill' as const,
        attempt: 0,
        job: toRunnableJob(r),
        replacesRunning: false,
        idempotencyKey: r.idempotency_key,
      }));
    });
  }
}
