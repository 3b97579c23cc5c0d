import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { JobType, MisfirePolicy } from '../../jobs/job.entity.js';
import { CLAIM_LOCK_SQL, CLAIM_WRITE_SQL, RESUME_SQL, SLOT_COLUMNS } from './claim-sql.js';
import { type JobSlotRow } from '../scheduler.types.js';
import type { EndedPause } from '../../jobs/job-audit.js';
import {
  slotKey,
  toRunnableJob,
  type ClaimedRun,
  type RunnableRow,
} from '../../executions/run.types.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { SCHEDULER_DB } from '../../core/database/data-source.js';

/** The decision for one due slot, computed in Node from the locked row (see firing-plan.ts). */
export interface SlotDecision {
  jobId: string;
  /** The next_run_at read under the lock: the compare-and-set expects it unchanged. */
  slot: Date;
  next: Date | null;
  deactivate: boolean;
  /** The slot run now, or null when the claim only advances (misfire skip). */
  run: Date | null;
  /** When `slot` fires (the slot plus its jitter): lateness is measured from it. */
  dueAt: Date;
  skipped: number;
  catchUp: Date[];
  /** A timed pause that is over: `slot` is the paused_until expected, `next` the first slot after. */
  resume?: true;
}

export interface ClaimOutcome {
  runs: ClaimedRun[];
  /** Due slots not run because the job was running (forbid, or queue_one with one waiting). */
  forbidden: { jobId: string; scheduledFor: Date; reason: 'concurrency_forbid' | 'queue_full' }[];
  /** The committed state of every requested job that still exists (to re-arm timers). */
  states: JobSlotRow[];
}

interface SlotRowRaw {
  id: string;
  is_active: boolean;
  next_run_at: Date | null;
  job_type: JobType;
  cron_expression: string | null;
  timezone: string;
  interval_ms: number | null;
  run_at: Date | null;
  exclude_calendars: string[];
  misfire_policy: MisfirePolicy;
  updated_at: Date;
  paused_at: Date | null;
  paused_until: Date | null;
  start_at: Date | null;
  end_at: Date | null;
  jitter_ms: number;
  max_runs: number | null;
  remaining_runs: number | null;
}

function toSlotRow(r: SlotRowRaw): JobSlotRow {
  return {
    id: r.id,
    isActive: r.is_active,
    nextRunAt: r.next_run_at,
    jobType: r.job_type,
    cronExpression: r.cron_expression,
    timezone: r.timezone,
    intervalMs: r.interval_ms,
    runAt: r.run_at,
    excludeCalendars: r.exclude_calendars,
    misfirePolicy: r.misfire_policy,
    updatedAt: r.updated_at,
    pausedAt: r.paused_at,
    pausedUntil: r.paused_until,
    startAt: r.start_at,
    endAt: r.end_at,
    jitterMs: r.jitter_ms,
    maxRuns: r.max_runs,
    remainingRuns: r.remaining_runs,
  };
}

interface ClaimRowRaw extends RunnableRow {
  run_slot: Date | null;
  runs: boolean;
  /** A late slot of a job busy under forbid, stored as a pending run (see CLAIM_WRITE_SQL). */
  deferred: boolean;
  busy: boolean;
  execution_id: string | null;
  started_at: Date | null;
}

/**
 * Claims due slots with compare-and-set on jobs.next_run_at, in the transaction that inserts
 * their execution rows: whichever replica commits first advances next_run_at, the others find it
 * changed and run nothing. All slots due together are claimed in one locking read and one write.
 */
@Injectable()
export class SlotClaimRepository {
  constructor(@InjectDataSource(SCHEDULER_DB) private readonly dataSource: DataSource) {}

  /** Unlocked read of the scheduling columns (reconcile). */
  async findSlotRows(ids: string[]): Promise<JobSlotRow[]> {
    const rows: SlotRowRaw[] = await this.dataSource.query(
      `SELECT ${SLOT_COLUMNS} FROM jobs WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toSlotRow);
  }

  /**
   * A page of active jobs, and of paused ones that resume by themselves, by id (keyset), so a
   * full reconcile never holds all rows at once.
   */
  async findActivePage(afterId: string | null, limit: number): Promise<JobSlotRow[]> {
    const rows: SlotRowRaw[] = await this.dataSource.query(
      `SELECT ${SLOT_COLUMNS} FROM jobs
       WHERE (is_active OR paused_until IS NOT NULL) AND ($1::uuid IS NULL OR id > $1::uuid)
       ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toSlotRow);
  }

  /** Sets next_run_at when it still holds `expected` (repairing a null or stale value). */
  async repairNextRunAt(id: string, expected: Date | null, next: Date | null): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE jobs SET next_run_at = $3
       WHERE id = $1 AND is_active AND next_run_at IS NOT DISTINCT FROM $2 RETURNING id`,
      [id, expected, next],
    );
    return rows.length > 0;
  }

  /** Deactivates an active job whose window is over, if next_run_at still holds `expected`. */
  async retire(id: string, expected: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs SET is_active = false, next_run_at = NULL
       WHERE id = $1 AND is_active AND next_run_at IS NOT DISTINCT FROM $2`,
      [id, expected],
    );
  }

  /**
   * An inactive job has no next slot. Clearing it means a later re-activation (by any writer,
   * psql included) starts from the first slot after that moment instead of replaying the slots
   * of its inactive time as misfires.
   */
  async clearNextRunAtOfInactive(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs SET next_run_at = NULL WHERE id = $1 AND NOT is_active AND next_run_at IS NOT NULL`,
      [id],
    );
  }

  /**
   * Locks the requested jobs in id order (so concurrent claimers cannot deadlock), lets `decide`
   * pick the due slots, then claims them in one statement.
   */
  async claim(
    ids: string[],
    replicaId: string,
    decide: (rows: JobSlotRow[], now: Date) => SlotDecision[],
    onPausesEnded?: (em: EntityManager, ended: EndedPause[]) => Promise<void>,
  ): Promise<ClaimOutcome> {
    return this.dataSource.transaction(async (em) => {
      const locked: (SlotRowRaw & { now: Date })[] = await em.query(CLAIM_LOCK_SQL, [ids]);
      const states = locked.map(toSlotRow);
      const all = locked.length > 0 ? decide(states, locked[0].now) : [];
      const ended = await this.resumeDue(
        em,
        all.filter((d) => d.resume),
        states,
      );
      if (ended.length > 0) {
        await onPausesEnded?.(em, ended);
      }
      const decisions = all.filter((d) => !d.resume);
      if (decisions.length === 0) {
        return { runs: [], forbidden: [], states };
      }
      const rows = await this.writeClaims(em, decisions, replicaId);
      const byId = new Map(decisions.map((d) => [d.jobId, d]));
      const won = new Set(rows.map((r) => r.id));
      for (const s of states) {
        const d = byId.get(s.id);
        if (d && won.has(s.id)) {
          s.nextRunAt = d.next;
          s.isActive = s.isActive && !d.deactivate;
        }
      }
      const runs = toRuns(rows).map((r) => ({ ...r, dueAt: byId.get(r.job.id)?.dueAt }));
      return { runs, forbidden: toForbidden(rows), states };
    });
  }

  /**
   * Ends timed pauses that are over, with compare-and-set on paused_until (so exactly once,
   * whichever replica gets there first), and updates `states` to what was committed. Answers the
   * pauses it ended.
   */
  private async resumeDue(
    em: EntityManager,
    resumes: SlotDecision[],
    states: JobSlotRow[],
  ): Promise<EndedPause[]> {
    if (resumes.length === 0) {
      return [];
    }
    const rows: EndedPause[] = await em.query(RESUME_SQL, [
      resumes.map((d) => d.jobId),
      resumes.map((d) => d.slot),
      resumes.map((d) => d.next),
    ]);
    const won = new Set(rows.map((r) => r.id));
    const byId = new Map(resumes.map((d) => [d.jobId, d]));
    for (const s of states) {
      const d = byId.get(s.id);
      if (d && won.has(s.id)) {
        Object.assign(s, { isActive: d.next !== null, nextRunAt: d.next });
        Object.assign(s, { pausedAt: null, pausedUntil: null });
      }
    }
    return rows;
  }

  /**
   * One statement: CAS-advance each job, insert an execution for each slot that runs (not when
   * the job is running under forbid: that slot is skipped and counted), queue fire_all catch-ups.
   * The running check sees every run committed before our row locks were granted.
   */
  private async writeClaims(
    em: EntityManager,
    ds: SlotDecision[],
    replicaId: string,
  ): Promise<ClaimRowRaw[]> {
    const catchUps = ds.flatMap((d) => d.catchUp.map((slot) => ({ id: d.jobId, slot })));
    return em.query(CLAIM_WRITE_SQL, [
      ds.map((d) => d.jobId),
      ds.map((d) => d.slot),
      ds.map((d) => d.next),
      ds.map((d) => d.deactivate),
      ds.map((d) => d.run),
      ds.map((d) => d.skipped),
      catchUps.map((c) => c.id),
      catchUps.map((c) => c.slot),
      replicaId,
      ds.map((d) => d.dueAt),
    ]);
  }
}

function toRuns(rows: ClaimRowRaw[]): ClaimedRun[] {
  return rows
    .filter((r) => r.runs && r.execution_id && r.started_at)
    .map((r) => ({
      executionId: r.execution_id as string,
      startedAt: r.started_at as Date,
      scheduledFor: r.run_slot,
      trigger: 'schedule' as const,
      attempt: 0,
      job: toRunnableJob(r),
      replacesRunning: r.busy && r.concurrency_policy === 'replace',
      idempotencyKey: slotKey(r.id, r.run_slot as Date),
    }));
}

function toForbidden(rows: ClaimRowRaw[]): ClaimOutcome['forbidden'] {
  return rows
    .filter((r) => r.run_slot && !r.runs && !r.deferred)
    .map((r) => ({
      jobId: r.id,
      scheduledFor: r.run_slot as Date,
      reason: r.concurrency_policy === 'queue_one' ? 'queue_full' : 'concurrency_forbid',
    }));
}
