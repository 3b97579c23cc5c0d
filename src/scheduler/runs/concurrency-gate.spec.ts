import { describe, expect, it } from '@jest/globals';
import { ConcurrencyGate } from './concurrency-gate.js';

describe(ConcurrencyGate.name, () => {
  it('lets `limit` holders in and queues the rest in arrival order', async () => {
    const gate = new ConcurrencyGate(2);
    const order: number[] = [];
    await gate.acquire();
    await gate.acquire();
    const waiting = [3, 4, 5].map((n) => gate.acquire().then(() => order.push(n)));
    expect(gate.waiting).toBe(3);
    gate.release();
    gate.release();
    await Promise.resolve();
    expect(order).toEqual([3, 4]);
    gate.release();
    await Promise.all(waiting);
    expect(order).toEqual([3, 4, 5]);
    expect(gate.waiting).toBe(0);
  });

  it('frees capacity once nobody waits', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire();
    gate.release();
    let got = false;
    await gate.acquire().then(() => (got = true));
    expect(got).toBe(true);
  });
});
