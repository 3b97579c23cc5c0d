import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EventBus } from '../../core/events/event-bus.js';
import { Clock } from '../../core/time/clock.js';
import { AuditService } from '../../audit/audit.service.js';
import { CalendarCache } from '../../calendars/calendar-cache.js';
import { endedPauseAudit } from '../../jobs/job-audit.js';
import { DispatcherService } from '../runs/dispatcher.service.js';
import { fireAt, resumeSlot, scheduleOf } from '../../jobs/schedule/schedule.js';
import { FinishQueue } from '../runs/finish-queue.js';
import { planFiring } from './firing-plan.js';
import { HeartbeatService } from '../cluster/heartbeat.service.js';
import { JobTimers } from '../timers/job-timers.js';
import { ReconcilerService } from '../timers/reconciler.service.js';
import type { JobSlotRow } from '../scheduler.types.js';
import {
  SlotClaimRepository,
  type ClaimOutcome,
  type SlotDecision,
} from './slot-claim.repository.js';

/** Slots a claim skipped (not run), `calendar` of them because a calendar excluded them. */
interface SkippedSlots {
  jobId: string;
  slot: Date;
  count: number;
  calendar: number;
}

/** Ids claimed per statement: small enough that a burst's first runs start while later ones are claimed. */
const CLAIM_CHUNK = 1000;
/** Claims in flight at once; due ids arriving meanwhile wait and are claimed together. */
const MAX_CLAIMS_IN_FLIGHT = 2;
/** A failed claim (database unreachable) is retried this much later. */
const CLAIM_RETRY_MS = 1000;
/** How often due slots look again while this replica is not ready to claim (see claimBatch). */
const NOT_READY_RETRY_MS = 100;

/**
 * Turns timer wake-ups into claims and dispatches. Due ids queue up while claims are in flight,
 * so under load each statement claims everything that fell due meanwhile (adaptive windows),
 * and when idle a lone slot is claimed at once.
 */
@Injectable()
export class SlotFiringService {
  private readonly logger = new Logger(SlotFiringService.name);
  private readonly due = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = false;

  constructor(
    private readonly timers: JobTimers,
    private readonly claims: SlotClaimRepository,
    private readonly reconciler: ReconcilerService,
    private readonly dispatcher: DispatcherService,
    private readonly heartbeat: HeartbeatService,
    private readonly finishes: FinishQueue,
    private readonly events: EventBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendars: CalendarCache,
    private readonly audit: AuditService,
  ) {
    this.events.subscribe('slots.due', (e) => this.enqueue(e.jobIds));
  }

  start(): void {
    this.accepting = true;
  }

  /** Stops claiming and waits for the claims already running (their runs are dispatched). */
  async stop(): Promise<void> {
    this.accepting = false;
    this.due.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private enqueue(ids: string[]): void {
    if (!this.accepting) {
      return;
    }
    ids.forEach((id) => this.due.add(id));
    this.pump();
  }

  private pump(): void {
    while (this.accepting && this.due.size > 0 && this.inFlight.size < MAX_CLAIMS_IN_FLIGHT) {
      const batch: string[] = [];
      for (const id of this.due) {
        batch.push(id);
        this.due.delete(id);
        if (batch.length >= CLAIM_CHUNK) {
          break;
        }
      }
      const p = this.claimBatch(batch)
        .catch((e: Error) => this.logger.error(`claim batch failed: ${e.message}`))
        .finally(() => {
          this.inFlight.delete(p);
          this.pump();
        });
      this.inFlight.add(p);
    }
  }

  private async claimBatch(ids: string[]): Promise<void> {
    // Results first, then claims: while this replica's session lock is not held (its new runs
    // would look orphaned to the others) or outcomes from before an outage are still unwritten
    // (a forbid claim would see those runs as running), due slots wait.
    if (!this.heartbeat.healthy || this.finishes.backlogged) {
      const retryAt = new Date(this.clock.nowMs() + NOT_READY_RETRY_MS);
      ids.forEach((id) => this.timers.arm(id, retryAt));
      return;
    }
    const skippedByMisfire: SkippedSlots[] = [];
    let outcome;
    try {
      outcome = await this.claimWithCalendars(ids, skippedByMisfire);
    } catch (e) {
      this.logger.error(`claiming ${ids.length} slot(s) failed: ${(e as Error).message}`);
      const retryAt = new Date(this.clock.nowMs() + CLAIM_RETRY_MS);
      ids.forEach((id) => this.timers.arm(id, retryAt));
      return;
    }
    const found = new Set(outcome.states.map((s) => s.id));
    ids.filter((id) => !found.has(id)).forEach((id) => this.timers.disarm(id));
    outcome.states.forEach((s) => this.reconciler.apply(s));
    for (const s of skippedByMisfire) {
      for (let i = 0; i < s.count; i++) {
        this.events.publish('slot.skipped', {
          jobId: s.jobId,
          reason: i < s.calendar ? 'calendar' : 'misfire_skip',
          scheduledFor: s.slot,
        });
      }
    }
    for (const f of outcome.forbidden) {
      this.events.publish('slot.skipped', {
        jobId: f.jobId,
        reason: f.reason,
        scheduledFor: f.scheduledFor,
      });
    }
    for (const run of outcome.runs) {
      void this.dispatcher.dispatch(run);
    }
  }

  /**
   * Claims with the calendars the locked rows exclude at hand. Loading them inside the claim's
   * transaction would hold row locks and a pooled connection while waiting for another one; so a
   * claim that finds calendars missing or stale (edited) decides nothing and commits nothing, they
   * are loaded, and the claim runs again (once: then it decides with what the cache holds).
   */
  private async claimWithCalendars(ids: string[], skipped: SkippedSlots[]): Promise<ClaimOutcome> {
    for (let attempt = 0; ; attempt++) {
      let needed: string[] = [];
      const outcome = await this.claims.claim(
        ids,
        this.config.scheduler.replicaId,
        (rows, now) => {
          needed =
            attempt === 0 ? this.calendars.needed(rows.flatMap((r) => r.excludeCalendars)) : [];
          return needed.length > 0 ? [] : this.decide(rows, now, skipped);
        },
        // A pause ended at its `until` is audited with the resume, in the claim's transaction.
        (em, ended) => this.audit.recordMany(em, ended.map(endedPauseAudit)),
      );
      if (needed.length === 0) {
        return outcome;
      }
      await this.calendars.ensure(needed);
    }
  }

  private decide(rows: JobSlotRow[], dbNow: Date, skipped: SkippedSlots[]): SlotDecision[] {
    // The later of both clocks: a replica whose clock runs ahead of the database must not spin
    // on a slot it sees due and the database does not.
    const now = new Date(Math.max(dbNow.getTime(), this.clock.nowMs()));
    const out: SlotDecision[] = [];
    for (const row of rows) {
      const resume = this.resumeOf(row, now);
      if (resume) {
        out.push(resume);
        continue;
      }
      const slot = row.nextRunAt;
      // Due when the slot plus its jitter has come (the timer was armed for that instant).
      const dueAt = slot && fireAt({ jobId: row.id, jitterMs: row.jitterMs }, slot);
      if (!row.isActive || !slot || !dueAt || dueAt.getTime() > now.getTime()) {
        continue;
      }
      let plan;
      try {
        plan = planFiring({
          schedule: scheduleOf(row, this.calendars.lookup),
          misfirePolicy: row.misfirePolicy,
          slot,
          now,
          maxCatchup: this.config.scheduler.misfireMaxCatchup,
        });
      } catch (e) {
        this.logger.warn(`job ${row.id} has an unusable schedule: ${(e as Error).message}`);
        // Not armed again until its definition changes (or the next full reconcile).
        row.isActive = false;
        continue;
      }
      if (plan.skipped > 0) {
        skipped.push({
          jobId: row.id,
          slot,
          count: plan.skipped,
          calendar: plan.calendarSkipped ?? 0,
        });
      }
      out.push({ jobId: row.id, slot, dueAt, ...plan });
    }
    return out;
  }

  /** A timed pause that is over resumes from its first slot after now (no catch-up). */
  private resumeOf(row: JobSlotRow, now: Date): SlotDecision | null {
    const until = row.pausedUntil;
    if (row.isActive || !row.pausedAt || !until || until.getTime() > now.getTime()) {
      return null;
    }
    let next: Date | null = null;
    try {
      next = resumeSlot(scheduleOf({ ...row, pausedAt: null }), now);
    } catch (e) {
      this.logger.warn(`job ${row.id} has an unusable schedule: ${(e as Error).message}`);
    }
    return {
      jobId: row.id,
      slot: until,
      dueAt: until,
      next,
      deactivate: false,
      run: null,
      skipped: 0,
      catchUp: [],
      resume: true,
    };
  }
}
