import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../core/time/clock.js';
import { firstSlot, nextSlot, scheduleOf } from '../../jobs/schedule/schedule.js';
import { JobTimers } from './job-timers.js';
import type { JobSlotRow } from '../scheduler.types.js';
import { SlotClaimRepository } from '../firing/slot-claim.repository.js';

const PAGE_SIZE = 1000;
/**
 * Rows synced between two yields to the event loop. Verifying a row computes its next slot, so
 * a page of 5,000 changed rows held the loop for 100-250 ms and timers due meanwhile fired that
 * late (firing benchmark, 100,000 jobs at 1,000 firings/s: p99 lag 127-243 ms over 60 s; with
 * a yield every 200 rows 98 ms, every 25 rows and pages of 1,000: 73 ms, one run each).
 */
const ROWS_PER_YIELD = 25;

const yieldToTimers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());
/** Slack for transactions that committed a definition change after the previous full pass began. */
const CHANGE_MARGIN_MS = 60_000;

/**
 * The next_run_at an active job should have instead of its stored one, or undefined when the
 * stored value is coherent. A future value must be the first slot after now (no slot can lie
 * between now and the true next one), which catches a cron, interval or runAt changed by hand
 * without next_run_at. A past value is left alone: it is due, and the claim applies the misfire
 * policy to it.
 */
export function repairedNextRunAt(row: JobSlotRow, now: Date): Date | null | undefined {
  const schedule = scheduleOf(row);
  const stored = row.nextRunAt;
  if (!stored) {
    const first = firstSlot(schedule, now);
    return first ?? undefined;
  }
  if (stored.getTime() <= now.getTime()) {
    return undefined;
  }
  switch (schedule.kind) {
    case 'immediate':
    case 'none':
      return undefined;
    case 'interval': {
      const latest = now.getTime() + schedule.everyMs;
      return stored.getTime() <= latest ? undefined : new Date(latest);
    }
    case 'at':
    case 'cron': {
      const expected = schedule.kind === 'at' ? schedule.at : nextSlot(schedule, now);
      return expected?.getTime() === stored.getTime() ? undefined : expected;
    }
  }
}

/**
 * Keeps this replica's timers equal to the jobs table. Idempotent and payload-blind: every call
 * re-reads the rows, arms active jobs at their next_run_at (repairing a null or stale value with
 * compare-and-set) and disarms the rest.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);
  private lastFullPassAt: number | null = null;

  constructor(
    private readonly repo: SlotClaimRepository,
    private readonly timers: JobTimers,
    private readonly clock: Clock,
  ) {}

  /**
   * Arms or disarms from a row already read (after a claim): an active job at its next slot, a
   * paused one at the end of its timed pause (the claim path then resumes it).
   */
  apply(row: JobSlotRow): void {
    const at = row.isActive ? row.nextRunAt : row.pausedAt ? row.pausedUntil : null;
    if (at) {
      this.timers.arm(row.id, at);
    } else {
      this.timers.disarm(row.id);
    }
  }

  async reconcileMany(ids: string[]): Promise<void> {
    const rows = await this.repo.findSlotRows(ids);
    const found = new Set(rows.map((r) => r.id));
    for (const id of ids) {
      if (!found.has(id)) {
        this.timers.disarm(id);
      }
    }
    for (const row of rows) {
      await this.sync(row);
    }
  }

  /**
   * Every active job, page by page (no cap), then a re-check of armed jobs not seen active. Only
   * rows whose definition changed since the previous pass (updated_at) get their next_run_at
   * verified again; the others were verified then, and claims keep them coherent.
   *
   * `duty` < 1 paces the pass: after each page it rests so that it works at most that share of
   * the time. The periodic pass is a safety net and must not compete with firing: unpaced, at
   * 100,000 jobs it read and re-armed every row in a second or two while 1,000 slots a second
   * fell due, and the firing benchmark's worst second (p99 lag 48-81 ms in some runs) was the
   * one it ran in. The pass at start-up is not paced (nothing fires before it ends).
   */
  async reconcileAll(opts: { duty?: number } = {}): Promise<number> {
    const duty = Math.min(Math.max(opts.duty ?? 1, 0.05), 1);
    const startedAt = this.clock.nowMs();
    const since = this.lastFullPassAt === null ? null : this.lastFullPassAt - CHANGE_MARGIN_MS;
    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const pageStarted = performance.now();
      const page = await this.repo.findActivePage(after, PAGE_SIZE);
      for (const [i, row] of page.entries()) {
        seen.add(row.id);
        await this.sync(row, since === null || !row.nextRunAt || row.updatedAt.getTime() >= since);
        if (i % ROWS_PER_YIELD === ROWS_PER_YIELD - 1) {
          await yieldToTimers();
        }
      }
      if (page.length < PAGE_SIZE) {
        break;
      }
      after = page[page.length - 1].id;
      if (duty < 1) {
        await pause((performance.now() - pageStarted) * (1 / duty - 1));
      }
    }
    const stale = this.timers.armedIds().filter((id) => !seen.has(id));
    for (let i = 0; i < stale.length; i += PAGE_SIZE) {
      await this.reconcileMany(stale.slice(i, i + PAGE_SIZE));
    }
    this.lastFullPassAt = startedAt;
    return seen.size;
  }

  private async sync(row: JobSlotRow, verify = true): Promise<void> {
    if (!row.isActive) {
      this.apply(row);
      if (row.nextRunAt) {
        await this.repo.clearNextRunAtOfInactive(row.id);
      }
      return;
    }
    if (!verify) {
      this.apply(row);
      return;
    }
    let repaired: Date | null | undefined;
    try {
      repaired = repairedNextRunAt(row, this.clock.now());
    } catch (e) {
      this.logger.warn(`job ${row.id} has an unusable schedule: ${(e as Error).message}`);
      this.timers.disarm(row.id);
      return;
    }
    if (repaired !== undefined) {
      if (await this.repo.repairNextRunAt(row.id, row.nextRunAt, repaired)) {
        this.apply({ ...row, nextRunAt: repaired });
      } else {
        const [fresh] = await this.repo.findSlotRows([row.id]);
        this.apply(fresh ?? { ...row, isActive: false });
      }
      return;
    }
    this.apply(row);
  }
}
