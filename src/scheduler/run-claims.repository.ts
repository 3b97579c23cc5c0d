import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ExecutionTrigger } from '../executions/execution.entity.js';
import {
  RUNNABLE_COLUMNS,
  toRunnableJob,
  type ClaimedRun,
  type RunnableRow,
} from './scheduler.types.js';

interface RunRowRaw extends RunnableRow {
  execution_id: string;
  started_at: Date;
  scheduled_for: Date | null;
  trigger: ExecutionTrigger;
  retry_count: number;
  busy: boolean;
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
  };
}

export type ManualClaim =
  { kind: 'claimed'; run: ClaimedRun } | { kind: 'not_found' } | { kind: 'running' };

/** Runs that are not slots: manual triggers and the durable pending runs (retries, recovery). */
@Injectable()
export class RunClaimsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a manual run. The job row lock serialises it with slot claims, so the running check
   * under forbid is exact cluster-wide.
   */
  async claimManual(jobId: string, replicaId: string): Promise<ManualClaim> {
    return this.dataSource.transaction(async (em) => {
      const locked: unknown[] = await em.query(`SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE`, [
        jobId,
      ]);
      if (locked.length === 0) {
        return { kind: 'not_found' };
      }
      // A separate statement: its snapshot is taken after the lock was granted, so it sees a run
      // inserted by a claim that held the lock before us (a subquery of the locking SELECT would not).
      const rows: { busy: boolean; concurrency_policy: string }[] = await em.query(
        `SELECT j.concurrency_policy, EXISTS (SELECT 1 FROM job_executions e
           WHERE e.job_id = j.id AND e.status = 'running') AS busy
         FROM jobs j WHERE j.id = $1`,
        [jobId],
      );
      if (rows[0].busy && rows[0].concurrency_policy === 'forbid') {
        return { kind: 'running' };
      }
      const [run]: RunRowRaw[] = await em.query(
        `WITH ins AS (
           INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at, replica_id)
           VALUES ($1, 'running', 'manual', date_trunc('milliseconds', now()),
             date_trunc('milliseconds', now()), $2)
           RETURNING id, started_at, scheduled_for, trigger, retry_count
         ), upd AS (UPDATE jobs j SET last_run_at = now() WHERE j.id = $1
           RETURNING j.id, ${RUNNABLE_COLUMNS})
         SELECT upd.*, ins.id AS execution_id, ins.started_at, ins.scheduled_for, ins.trigger,
           ins.retry_count, $3::boolean AS busy
         FROM upd, ins`,
        [jobId, replicaId, rows[0].busy],
      );
      return { kind: 'claimed', run: toRun(run) };
    });
  }

  /**
   * Claims due pending runs: at most one per job per call (fire_all catch-ups run one after
   * another), none for a job running under forbid (they wait). Rows and jobs locked by another
   * replica are skipped, never waited for. The pending row is deleted in the transaction that
   * inserts its execution, so each runs exactly once.
   */
  async claimPending(replicaId: string, limit: number): Promise<ClaimedRun[]> {
    return this.dataSource.transaction(async (em) => {
      const due: { id: string; job_id: string }[] = await em.query(
        `SELECT id, job_id FROM job_pending_runs WHERE run_at <= now()
         ORDER BY run_at, scheduled_for LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (due.length === 0) {
        return [];
      }
      const jobs: { id: string }[] = await em.query(
        `SELECT id FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
        [[...new Set(due.map((d) => d.job_id))]],
      );
      if (jobs.length === 0) {
        return [];
      }
      const rows: RunRowRaw[] = await em.query(
        `WITH cand AS (
           SELECT DISTINCT ON (p.job_id) p.* FROM job_pending_runs p
           WHERE p.id = ANY($1::uuid[]) AND p.job_id = ANY($2::uuid[])
           ORDER BY p.job_id, p.run_at, p.scheduled_for
         ), ok AS (
           SELECT c.id AS pending_id, c.trigger AS p_trigger, c.attempt, c.scheduled_for AS p_slot,
             j.id, ${RUNNABLE_COLUMNS}, EXISTS (SELECT 1 FROM job_executions e
               WHERE e.job_id = j.id AND e.status = 'running') AS busy
           FROM cand c JOIN jobs j ON j.id = c.job_id
         ), go AS (
           SELECT * FROM ok WHERE NOT (busy AND concurrency_policy = 'forbid')
         ), del AS (
           DELETE FROM job_pending_runs WHERE id IN (SELECT pending_id FROM go)
         ), ins AS (
           INSERT INTO job_executions
             (job_id, status, trigger, scheduled_for, started_at, retry_count, replica_id)
           SELECT id, 'running', p_trigger, p_slot, date_trunc('milliseconds', now()), attempt, $3 FROM go
           RETURNING id, job_id, started_at, scheduled_for, trigger, retry_count
         ), upd AS (
           UPDATE jobs SET last_run_at = now() WHERE id IN (SELECT id FROM go)
         )
         SELECT go.*, ins.id AS execution_id, ins.started_at, ins.scheduled_for, ins.trigger,
           ins.retry_count
         FROM go JOIN ins ON ins.job_id = go.id`,
        [due.map((d) => d.id), jobs.map((j) => j.id), replicaId],
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
}
