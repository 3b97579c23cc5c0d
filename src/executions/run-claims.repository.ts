import { countOrNull } from '../core/database/pg-query.js';
import { lockDueAndJobs } from './claim-locks.js';
import { runningRunOf } from './execution.sql.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SCHEDULER_DB } from '../core/database/data-source.js';
import type { ExecutionTrigger } from './execution.entity.js';
import {
  RUNNABLE_COLUMNS,
  manualKeySql,
  slotKey,
  toRunnableJob,
  type ClaimedRun,
  type RunnableRow,
} from './run.types.js';

interface RunRowRaw extends RunnableRow {
  execution_id: string;
  started_at: Date;
  scheduled_for: Date | null;
  trigger: ExecutionTrigger;
  retry_count: number;
  busy: boolean;
  idempotency_key: string | null;
}

function toRun(r: RunRowRaw): ClaimedRun {
  return {
    executionId: r.execution_id,
    startedAt: r.started_at,
    scheduledFor: r.scheduled_for,
    trigger: r.trigger,
    attempt: r.retry_count,
    job: toRunnableJob(r),
    replacesRunning: r.busy && r.concurrency_policy === 'replace',
    idempotencyKey: r.idempotency_key ?? slotKey(r.id, r.scheduled_for ?? r.started_at),
  };
}

export type ReplayClaim =
  | { kind: 'claimed'; run: ClaimedRun }
  | { kind: 'not_found' }
  | { kind: 'not_final' }
  | { kind: 'replayed' }
  | { kind: 'running' };

export type ManualClaim =
  | { kind: 'claimed'; run: ClaimedRun }
  | { kind: 'not_found' }
  | { kind: 'running' }
  | { kind: 'locked' };

/** Runs that are not slots: manual triggers and the durable pending runs (retries, recovery). */
@Injectable()
export class RunClaimsRepository {
  constructor(
    /** The API's pool: a manual trigger is API traffic. */
    private readonly apiDataSource: DataSource,
    @InjectDataSource(SCHEDULER_DB) private readonly dataSource: DataSource,
  ) {}

  /**
   * Records a manual run. The job row lock serialises it with slot claims, so the running check
   * under forbid is exact cluster-wide. SKIP LOCKED: a trigger finding the row locked (a claim,
   * a result write or another trigger of this job) answers at once instead of holding a pooled
   * connection in the lock queue: 200 concurrent triggers of one job used to take every API
   * connection, and the claims queued behind them (issue 20). (Not NOWAIT: its error would be
   * logged by the driver once per refused trigger.) `within` runs in the claim's transaction
   * (the trigger's audit row commits with the run).
   */
  async claimManual(
    jobId: string,
    replicaId: string,
    within?: (em: EntityManager, run: ClaimedRun) => Promise<void>,
  ): Promise<ManualClaim> {
    return this.apiDataSource.transaction(async (em) => {
      const claim = await this.claimManualIn(em, jobId, replicaId);
      if (claim.kind === 'claimed' && within) {
        await within(em, claim.run);
      }
      return claim;
    });
  }

  private async claimManualIn(
    em: EntityManager,
    jobId: string,
    replicaId: string,
  ): Promise<ManualClaim> {
    const locked: unknown[] = await em.query(
      `SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [jobId],
    );
    // A separate statement: its snapshot is taken after the lock was granted, so it sees a run
    // inserted by a claim that held the lock before us (a subquery of the locking SELECT would not).
    const rows: { busy: boolean; concurrency_policy: string }[] = await em.query(
      `SELECT j.concurrency_policy, ${runningRunOf('j.id')} AS busy
       FROM jobs j WHERE j.id = $1`,
      [jobId],
    );
    if (rows.length === 0) {
      return { kind: 'not_found' };
    }
    // queue_one keeps waiting slots, not manual runs: a trigger while running is refused too.
    if (rows[0].busy && ['forbid', 'queue_one'].includes(rows[0].concurrency_policy)) {
      return { kind: 'running' };
    }
    if (locked.length === 0) {
      // Locked by someone else right now; a run already going under forbid was answered above.
      return { kind: 'locked' };
    }
    const [run]: RunRowRaw[] = await em.query(
      `WITH ins AS (
         INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at,
           replica_id, idempotency_key)
         VALUES ($1, 'running', 'manual', date_trunc('milliseconds', now()),
           date_trunc('milliseconds', now()), $2,
           ${manualKeySql('$1::uuid', `date_trunc('milliseconds', now())`)})
         RETURNING id, started_at, scheduled_for, trigger, retry_count, idempotency_key
       ), upd AS (UPDATE jobs j SET last_run_at = now() WHERE j.id = $1
         RETURNING j.id, ${RUNNABLE_COLUMNS})
       SELECT upd.*, ins.id AS execution_id, ins.started_at, ins.scheduled_for, ins.trigger,
         ins.retry_count, ins.idempotency_key, $3::boolean AS busy
       FROM upd, ins`,
      [jobId, replicaId, rows[0].busy],
    );
    return { kind: 'claimed', run: toRun(run) };
  }

  /**
   * Records a replay of a dead letter: a `running` execution with trigger `replay`, the original's
   * slot and `replay_of`, and its row in execution_replays, whose primary key (the original's id)
   * makes a second replay find a conflict even when both race: job_executions is partitioned, so
   * no unique index on it could. The job row is locked first, as a manual trigger does. `within`
   * runs in the claim's transaction (the replay's audit row commits with the run).
   */
  async claimReplay(
    executionId: string,
    replicaId: string,
    within?: (em: EntityManager, run: ClaimedRun) => Promise<void>,
  ): Promise<ReplayClaim> {
    return this.apiDataSource.transaction(async (em) => {
      const [orig]: {
        job_id: string;
        final_failure: boolean;
        scheduled_for: Date | null;
        started_at: Date;
        idempotency_key: string | null;
      }[] = await em.query(
        `SELECT job_id, final_failure, scheduled_for, started_at, idempotency_key
         FROM job_executions WHERE id = $1`,
        [executionId],
      );
      if (!orig) {
        return { kind: 'not_found' };
      }
      if (!orig.final_failure) {
        return { kind: 'not_final' };
      }
      await em.query(`SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE`, [orig.job_id]);
      const [state]: { busy: boolean; concurrency_policy: string }[] = await em.query(
        `SELECT j.concurrency_policy, ${runningRunOf('j.id')} AS busy FROM jobs j WHERE j.id = $1`,
        [orig.job_id],
      );
      if (!state) {
        return { kind: 'not_found' };
      }
      if (state.busy && state.concurrency_policy === 'forbid') {
        return { kind: 'running' };
      }
      const slot = orig.scheduled_for ?? orig.started_at;
      const key = `${orig.idempotency_key ?? slotKey(orig.job_id, slot)}:replay`;
      const rows: RunRowRaw[] = await em.query(
        `WITH rep AS (
           INSERT INTO execution_replays (execution_id, replay_id, job_id)
           VALUES ($1, gen_random_uuid(), $2) ON CONFLICT (execution_id) DO NOTHING
           RETURNING replay_id
         ), ins AS (
           INSERT INTO job_executions (id, job_id, status, trigger, scheduled_for, started_at,
             replica_id, idempotency_key, replay_of)
           SELECT rep.replay_id, $2, 'running', 'replay', $3, date_trunc('milliseconds', now()),
             $4, $5, $1 FROM rep
           RETURNING id, started_at, scheduled_for, trigger, retry_count, idempotency_key
         ), upd AS (UPDATE jobs j SET last_run_at = now()
           WHERE j.id = $2 AND EXISTS (SELECT 1 FROM ins) RETURNING j.id, ${RUNNABLE_COLUMNS})
         SELECT upd.*, ins.id AS execution_id, ins.started_at, ins.scheduled_for, ins.trigger,
           ins.retry_count, ins.idempotency_key, $6::boolean AS busy
         FROM upd, ins`,
        [executionId, orig.job_id, slot, replicaId, key, state.busy],
      );
      if (rows.length === 0) {
        return { kind: 'replayed' };
      }
      const run = toRun(rows[0]);
      await within?.(em, run);
      return { kind: 'claimed', run };
    });
  }

  /**
   * Claims due pending runs: at most one per job per call (fire_all catch-ups run one after
   * another), none for a job running under forbid or queue_one (they wait). Rows and jobs locked by another
   * replica are skipped, never waited for. The pending row is deleted in the transaction that
   * inserts its execution, so each runs exactly once.
   */
  async claimPending(replicaId: string, limit: number): Promise<ClaimedRun[]> {
    return this.dataSource.transaction(async (em) => {
      const locked = await lockDueAndJobs(
        em,
        `SELECT id, job_id FROM job_pending_runs WHERE run_at <= now()
         ORDER BY run_at, scheduled_for LIMIT $1 FOR UPDATE SKIP LOCKED`,
        limit,
      );
      if (!locked) {
        return [];
      }
      const rows: RunRowRaw[] = await em.query(
        `WITH cand AS (
           SELECT DISTINCT ON (p.job_id) p.* FROM job_pending_runs p
           WHERE p.id = ANY($1::uuid[]) AND p.job_id = ANY($2::uuid[])
           ORDER BY p.job_id, p.run_at, p.scheduled_for
         ), ok AS (
           SELECT c.id AS pending_id, c.trigger AS p_trigger, c.attempt, c.scheduled_for AS p_slot,
             c.idempotency_key AS p_key, j.id, ${RUNNABLE_COLUMNS}, ${runningRunOf('j.id')} AS busy
           FROM cand c JOIN jobs j ON j.id = c.job_id
         ), go AS (
           SELECT * FROM ok WHERE NOT (busy AND concurrency_policy IN ('forbid', 'queue_one'))
         ), del AS (
           DELETE FROM job_pending_runs WHERE id IN (SELECT pending_id FROM go)
         ), ins AS (
           INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at,
             retry_count, replica_id, idempotency_key)
           SELECT id, 'running', p_trigger, p_slot, date_trunc('milliseconds', now()), attempt, $3,
             p_key FROM go
           RETURNING id, job_id, started_at, scheduled_for, trigger, retry_count, idempotency_key
         ), upd AS (
           UPDATE jobs SET last_run_at = now() WHERE id IN (SELECT id FROM go)
         )
         SELECT go.*, ins.id AS execution_id, ins.started_at, ins.scheduled_for, ins.trigger,
           ins.retry_count, ins.idempotency_key
         FROM go JOIN ins ON ins.job_id = go.id`,
        [locked.dueIds, locked.jobIds, replicaId],
      );
      return rows.map(toRun);
    });
  }

  /** Earliest run_at among pending runs (so a replica can sleep until then). */
  async nextPendingAt(): Promise<Date | null> {
    const [row]: { at: Date | null }[] = await this.dataSource.query(
      `SELECT min(run_at) AS at FROM job_pending_runs`,
    );
    return row?.at ?? null;
  }

  /** Pending runs waiting on every replica; null when the database is unreachable. */
  countPending(): Promise<number | null> {
    return countOrNull(this.dataSource, 'SELECT count(*)::int AS n FROM job_pending_runs');
  }
}
