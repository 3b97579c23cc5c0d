import { Injectable, Logger } from '@nestjs/common';
import { EventBus } from '../core/events/event-bus.js';
import { ExecutionLedgerRepository } from './execution-ledger.repository.js';
import type { FinishedAttempt } from './scheduler.types.js';

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

interface Waiter {
  item: FinishedAttempt;
  done: () => void;
}

/**
 * Records finished attempts in batches: one transaction per few milliseconds instead of one per
 * attempt, which is what keeps a burst of 10,000 same-second runs from saturating the pool.
 * A failed write is retried (the rows stay `running` meanwhile, and recovery would close them
 * if this replica died), so a finished attempt is never dropped silently.
 */
@Injectable()
export class FinishQueue {
  private readonly logger = new Logger(FinishQueue.name);
  private queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private onRetryScheduled: (runAt: Date) => void = () => undefined;

  constructor(
    private readonly ledger: ExecutionLedgerRepository,
    private readonly events: EventBus,
  ) {}

  /** Lets the pending-runs poller wake up for retries this replica just stored. */
  setRetryListener(listener: (runAt: Date) => void): void {
    this.onRetryScheduled = listener;
  }

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
   * Writes a batch; when it fails, each attempt is written alone so one unstorable outcome cannot
   * hold back the others. A single attempt that keeps failing is stored without its output, and
   * then retried until the database accepts it (an outage).
   */
  private async write(batch: Waiter[]): Promise<void> {
    if (await this.tryWrite(batch)) {
      return;
    }
    if (batch.length > 1) {
      for (const w of batch) {
        await this.write([w]);
      }
      return;
    }
    for (let failures = 1; ; failures++) {
      await new Promise((r) => setTimeout(r, RETRY_WRITE_MS));
      if (failures === 2) {
        batch[0].item = { ...batch[0].item, output: { note: 'output could not be stored' } };
      }
      if (await this.tryWrite(batch)) {
        return;
      }
    }
  }

  private async tryWrite(batch: Waiter[]): Promise<boolean> {
    try {
      const { finished, retries } = await this.ledger.finishMany(batch.map((w) => w.item));
      this.publish(batch, new Set(finished.map((f) => f.id)), retries);
      batch.forEach((w) => w.done());
      return true;
    } catch (e) {
      this.logger.error(
        `recording ${batch.length} finished run(s) failed: ${(e as Error).message}`,
      );
      return false;
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
      });
    }
    for (const r of retries) {
      this.events.publish('retry.scheduled', {
        jobId: r.job_id,
        attempt: r.attempt,
        runAt: r.run_at,
      });
      this.onRetryScheduled(r.run_at);
    }
  }
}
