import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-backoff.js';

describe('retryDelayMs', () => {
  it('waits retryDelayMs every time with fixed backoff', () => {
    expect([1, 2, 5].map((n) => retryDelayMs('fixed', 2000, n))).toEqual([2000, 2000, 2000]);
  });

  it('doubles per attempt with exponential backoff, jitter within the upper half', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => retryDelayMs('exponential', 1000, n, low))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs('exponential', 1000, n, high))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('caps exponential delays', () => {
    expect(retryDelayMs('exponential', 60000, 10, () => 0.999999)).toBe(MAX_RETRY_DELAY_MS);
  });
});
