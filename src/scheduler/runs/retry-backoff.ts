import type { RetryBackoff } from '../../jobs/job.entity.js';

/** No retry waits longer than this, however many attempts an exponential backoff has doubled. */
export const MAX_RETRY_DELAY_MS = 15 * 60_000;

/**
 * Delay before retry number `attempt` (1 = first retry). Fixed: retryDelayMs every time.
 * Exponential: retryDelayMs * 2^(attempt-1), capped, with "equal jitter" (half fixed, half random)
 * so failed jobs sharing a slot do not retry in lockstep while the delay still grows.
 */
export function retryDelayMs(
  backoff: RetryBackoff,
  baseMs: number,
  attempt: number,
  random: () => number = Math.random,
): number {
  if (backoff === 'fixed') {
    return baseMs;
  }
  const exp = Math.min(baseMs * 2 ** Math.max(attempt - 1, 0), MAX_RETRY_DELAY_MS);
  const half = exp / 2;
  return Math.round(half + random() * half);
}
