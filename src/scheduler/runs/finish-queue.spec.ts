import { describe, expect, it } from '@jest/globals';
import { EventBus } from '../../core/events/event-bus.js';
import type { ExecutionLedgerRepository } from '../../executions/execution-ledger.repository.js';
import { FinishQueue } from './finish-queue.js';
import type { FinishedAttempt } from '../../executions/run.types.js';
import type { AutoPauser } from './auto-pauser.js';

function attempt(n: number): FinishedAttempt {
  return {
    run: {
      executionId: `e${n}`,
      startedAt: new Date(0),
      scheduledFor: null,
      trigger: 'schedule',
      attempt: 0,
      replacesRunning: false,
      job: { id: `j${n}`, target: { type: 'handler', name: 'log' } },
    } as unknown as FinishedAttempt['run'],
    status: 'completed',
    durationMs: 1,
    errorMessage: null,
    output: {},
    httpStatus: null,
    retry: null,
  };
}

/**
 * A ledger whose writes complete only when the test releases them, so the writes in flight can
 * be seen. (Whether a batch's SQL closes its rows is covered against PostgreSQL by the scheduler
 * e2e tests; this is the queue's own scheduling.)
 */
class HeldLedger {
  readonly batches: string[][] = [];
  private readonly held: (() => void)[] = [];

  finishMany(items: FinishedAttempt[]) {
    const ids = items.map((i) => i.run.executionId);
    this.batches.push(ids);
    return new Promise<{
      finished: { id: string; job_id: string; status: string }[];
      retries: [];
      autoPaused: [];
      notifications: number;
    }>((resolve) =>
      this.held.push(() =>
        resolve({
          finished: ids.map((id) => ({ id, job_id: 'j', status: 'completed' })),
          retries: [],
          autoPaused: [],
          notifications: 0,
        }),
      ),
    );
  }

  get inFlight(): number {
    return this.held.length;
  }

  releaseAll(): void {
    this.held.splice(0).forEach((release) => release());
  }
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('FinishQueue', () => {
  it('writes two batches at once, never more, and every attempt exactly once', async () => {
    const ledger = new HeldLedger();
    const queue = new FinishQueue(
      ledger as unknown as ExecutionLedgerRepository,
      new EventBus(),
      {} as AutoPauser,
    );
    let resolved = 0;
    const all = Array.from({ length: 1600 }, (_, i) =>
      queue.finish(attempt(i)).then(() => resolved++),
    );
    await tick();
    expect(ledger.inFlight).toBe(2);
    expect(ledger.batches.map((b) => b.length)).toEqual([500, 500]);
    expect(resolved).toBe(0);
    while (ledger.inFlight > 0) {
      ledger.releaseAll();
      await tick();
      expect(ledger.inFlight).toBeLessThanOrEqual(2);
    }
    await Promise.all(all);
    expect(resolved).toBe(1600);
    const written = ledger.batches.flat();
    expect(written).toHaveLength(1600);
    expect(new Set(written).size).toBe(1600);
  });

  it('keeps a batch whole through an outage, adds outcomes finishing meanwhile, and says so', async () => {
    const writes: string[][] = [];
    let down = true;
    const ledger = {
      finishMany(items: FinishedAttempt[]) {
        const ids = items.map((i) => i.run.executionId);
        writes.push(ids);
        if (down) {
          return Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          );
        }
        return Promise.resolve({
          finished: ids.map((id) => ({ id, job_id: 'j', status: 'completed' })),
          retries: [],
          autoPaused: [],
          notifications: 0,
        });
      },
    };
    const queue = new FinishQueue(
      ledger as unknown as ExecutionLedgerRepository,
      new EventBus(),
      {} as AutoPauser,
    );
    const first = [queue.finish(attempt(1)), queue.finish(attempt(2))];
    await tick(30);
    expect(queue.backlogged).toBe(true);
    const late = queue.finish(attempt(3));
    await tick(250);
    down = false;
    await Promise.all([...first, late]);
    await tick();
    expect(queue.backlogged).toBe(false);
    // Never split into one write per attempt; the last write carried all three.
    expect(writes.every((w) => w.length >= 2)).toBe(true);
    expect(writes[writes.length - 1].sort()).toEqual(['e1', 'e2', 'e3']);
  });
});
