import { Injectable, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '../../core/database/db-errors.js';
import { EventBus } from '../../core/events/event-bus.js';
import { ExecutionLedgerRepository } from '../../executions/execution-ledger.repository.js';
import { AutoPauser } from './auto-pauser.js';
import type { FinishedAttempt } from '../../executions/run.types.js';

/** Longest a finished attempt waits to share its write with others. */
const FLUSH_DELAY_MS = 5;
const MAX_BATCH = 500;
/**
 * Batches written at once. Batches lock their jobs in id order (as claims do), so two cannot
 * deadlock; the second write overlaps the first one's round trips and commit, which shortened
 * the tail of a 10,000-run burst (the last runs waited for every earlier batch in turn).
 */
const MAX_WRITES_IN_FLIGHT = 2;
const RETRY_WRITE_MS = 1000;
/** While the database is unreachable, a batch is retried whole, this often (doubling). */
const OUTAGE_RETRY_MIN_MS = 100;
const OUTAGE_RETRY_MAX_MS = 1000;

interface Waiter {
  item: FinishedAttempt;
  done: () => void;
}

/**
 * Records finished attempts in batches: one transaction per few milliseconds instead of one per
 * attempt, which is what keeps a burst of 10,000 same-second runs from saturating the pool.
 * A failed write is retried (the rows stay `running` meanwhile, and recovery would close them
 * if this replica died), so a finished attempt is never dropped silently. While the database is
 * unreachable the batch is kept whole (outcomes finishing meanwhile join it) and retried every
 * 100 ms to 1 s, so when the database returns everything held is written in a few transactions;
 * `backlogged` tells the claimers to wait for that first (results before new claims).
 */
@Injectable()
export class FinishQueue {
  private readonly logger = new Logger(FinishQueue.name);
  private queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Writers holding a batch the database could not take (an outage). */
  private writersInOutage = 0;

  constructor(
    private readonly ledger: ExecutionLedgerRepository,
    private readonly events: EventBus,
    private readonly autoPauser: AutoPauser,
  ) {}

  /** Resolves once the attempt's row is closed (or found closed by someone else). */
  finish(item: FinishedAttempt): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ item, done: resolve });
      if (this.queue.length >= MAX_BATCH) {
        this.flushSoon(0);
      } else {
        this.flushSoon(FLUSH_DELAY_MS);
      }
    });
  }

  /** Outcomes are waiting for the database to come back: claim nothing new until written. */
  get backlogged(): boolean {
    return this.writersInOutage > 0;
  }

  /** Waits until everything queued so far is written. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.timer) {
      this.flushSoon(0);
      await this.flushing;
      await new Promise((r) => setImmediate(r));
    }
    await this.flushing;
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, delay);
  }

  private async flush(): Promise<void> {
    const writer = async (): Promise<void> => {
      while (this.queue.length > 0) {
        await this.write(this.queue.splice(0, MAX_BATCH));
      }
    };
    await Promise.all(Array.from({ length: MAX_WRITES_IN_FLIGHT }, writer));
  }

  /**
   * Writes a batch. While the database is unavailable the batch is retried whole. Any other
   * failure writes each attempt alone, so one unstorable outcome cannot hold back the others; a
   * single attempt that keeps failing is stored without its output, then retried until accepted.
   */
  private async write(batch: Waiter[]): Promise<void> {
    let error = await this.tryWrite(batch);
    if (!error) {
      return;
    }
    if (isDatabaseUnavailable(error)) {
      this.writersInOutage++;
      try {
        error = await this.writeThroughOutage(batch, error);
      } finally {
        this.writersInOutage--;
      }
      if (!error) {
        return;
      }
    }
    if (batch.length > 1) {
      for (const w of batch) {
        await this.write([w]);
      }
      return;
    }
    for (let failures = 1; ; failures++) {
      await sleep(RETRY_WRITE_MS);
      if (failures === 2) {
        batch[0].item = { ...batch[0].item, output: { note: 'output could not be stored' } };
      }
      if (!(await this.tryWrite(batch))) {
        return;
      }
    }
  }

  /** Retries `batch` until written or failing for another reason (returned). */
  private async writeThroughOutage(batch: Waiter[], error: unknown): Promise<unknown> {
    for (let delay = OUTAGE_RETRY_MIN_MS; isDatabaseUnavailable(error);) {
      await sleep(delay);
      delay = Math.min(delay * 2, OUTAGE_RETRY_MAX_MS);
      // Outcomes that finished meanwhile go out in the same transaction.
      batch.push(...this.queue.splice(0, MAX_BATCH - batch.length));
      error = await this.tryWrite(batch);
    }
    return error;
  }

  /** Writes the batch; resolves to the error, or undefined once written. */
  private async tryWrite(batch: Waiter[]): Promise<unknown> {
    try {
      const result = await this.ledger.finishMany(
        batch.map((w) => w.item),
        this.autoPauser.hook,
      );
      this.publish(batch, new Set(result.finished.map((f) => f.id)), result.retries);
      result.autoPaused.forEach((p) => this.events.publish('job.auto_paused', { jobId: p.jobId }));
      if (result.notifications > 0) {
        this.events.publish('notifications.queued', { count: result.notifications });
      }
      batch.forEach((w) => w.done());
      return undefined;
    } catch (e) {
      this.logger.error(
        `recording ${batch.length} finished run(s) failed: ${(e as Error).message}`,
      );
      return e ?? new Error('unknown failure');
    }
  }

  private publish(
    batch: Waiter[],
    closedNow: Set<string>,
    retries: { job_id: string; attempt: number; run_at: Date }[],
  ): void {
    for (const { item } of batch) {
      if (!closedNow.has(item.run.executionId)) {
        continue;
      }
      this.events.publish('execution.finished', {
        jobId: item.run.job.id,
        executionId: item.run.executionId,
        status: item.status,
        targetType: item.run.job.target.type,
        durationMs: item.durationMs,
        attempt: item.run.attempt,
        concurrencyPolicy: item.run.job.concurrencyPolicy,
      });
    }
    for (const r of retries) {
      this.events.publish('retry.scheduled', {
        jobId: r.job_id,
        attempt: r.attempt,
        runAt: r.run_at,
      });
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
