import { describe, expect, it } from '@jest/globals';
import { LagReservoir } from './lag-reservoir.js';

describe(LagReservoir.name, () => {
  it('answers null before the first sample', () => {
    expect(new LagReservoir().percentile(50)).toBeNull();
  });

  it('computes nearest-rank percentiles', () => {
    const r = new LagReservoir();
    for (let i = 1; i <= 100; i += 1) {
      r.add(i);
    }
    expect(r.percentile(50)).toBe(50);
    expect(r.percentile(99)).toBe(99);
    expect(r.percentile(100)).toBe(100);
  });

  it('keeps only the most recent samples once full', () => {
    const r = new LagReservoir(3);
    [1000, 1000, 1000, 1, 2, 3].forEach((v) => r.add(v));
    expect(r.count).toBe(3);
    expect(r.percentile(100)).toBe(3);
  });
});
