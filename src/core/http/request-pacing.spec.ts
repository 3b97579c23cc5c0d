import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { requestPacing } from './request-pacing.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('requestPacing', () => {
  it('starts at most two requests per event-loop turn, in arrival order, and all of them', async () => {
    const pacing = requestPacing();
    const started: number[] = [];
    for (let i = 0; i < 7; i++) {
      pacing({} as Request, {} as Response, () => started.push(i));
    }
    expect(started).toEqual([0, 1]);
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    await turn();
    await turn();
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('lets a timer due meanwhile run between the turns', async () => {
    const pacing = requestPacing();
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    const busy = (i: number) => () => {
      const until = Date.now() + 5;
      while (Date.now() < until) {
        // a request's synchronous work
      }
      order.push(`req${i}`);
    };
    for (let i = 0; i < 6; i++) {
      pacing({} as Request, {} as Response, busy(i));
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(order.indexOf('timer')).toBeLessThan(order.indexOf('req5'));
    expect(order.filter((o) => o.startsWith('req'))).toHaveLength(6);
  });
});
