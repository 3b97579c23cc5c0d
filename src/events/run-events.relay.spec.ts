import { describe, expect, it } from '@jest/globals';
import type { RunEvent } from './run-event.js';
import { chunk } from './run-events.relay.js';

const finished = (i: number, status = 'completed'): RunEvent => ({
  kind: 'execution.finished',
  data: {
    jobId: `job-${i}`,
    executionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    status,
    durationMs: i,
    attempt: 1,
  },
});

describe('chunk', () => {
  it('packs a burst into whole envelopes under the NOTIFY payload limit, in order', () => {
    const events = Array.from({ length: 500 }, (_, i) => finished(i));
    const payloads = chunk('origin-1', events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) {
      expect(Buffer.byteLength(p)).toBeLessThan(8000);
    }
    const parsed = payloads.map((p) => JSON.parse(p) as { o: string; e: RunEvent[] });
    expect(parsed.every((p) => p.o === 'origin-1')).toBe(true);
    expect(parsed.flatMap((p) => p.e)).toEqual(events);
  });

  it('counts bytes, not characters', () => {
    const wide = finished(1, 'ü'.repeat(3000));
    const payloads = chunk('o', [wide, wide, wide]);
    expect(payloads).toHaveLength(3);
    expect(payloads.every((p) => Buffer.byteLength(p) < 8000)).toBe(true);
  });

  it('sends nothing for nothing', () => {
    expect(chunk('o', [])).toEqual([]);
  });
});
