import { describe, expect, it } from 'vitest';
import { formatDuration, formatIn, markDst, offsetOf } from './time';

describe('markDst', () => {
  it('marks the first slot after spring-forward and after fall-back', () => {
    // Hourly slots in America/New_York around 2026-03-08 and 2026-11-01, as the API's preview gives.
    const slots = [
      { at: '2026-03-08T06:00:00.000Z', local: '2026-03-08T01:00:00.000-05:00' },
      { at: '2026-03-08T07:00:00.000Z', local: '2026-03-08T03:00:00.000-04:00' },
      { at: '2026-03-08T08:00:00.000Z', local: '2026-03-08T04:00:00.000-04:00' },
      { at: '2026-11-01T05:00:00.000Z', local: '2026-11-01T01:00:00.000-04:00' },
      { at: '2026-11-01T07:00:00.000Z', local: '2026-11-01T02:00:00.000-05:00' },
    ];
    expect(markDst(slots).map((s) => s.dst)).toEqual([null, 'forward', null, null, 'back']);
  });

  it('marks nothing in a zone without DST', () => {
    const slots = [
      { at: '2026-03-08T06:00:00.000Z', local: '2026-03-08T11:30:00.000+05:30' },
      { at: '2026-03-08T07:00:00.000Z', local: '2026-03-08T12:30:00.000+05:30' },
    ];
    expect(markDst(slots).every((s) => s.dst === null)).toBe(true);
  });
});

describe('offsetOf', () => {
  it('reads the offset, Z as +00:00', () => {
    expect(offsetOf('2026-03-08T03:00:00.000-04:00')).toBe('-04:00');
    expect(offsetOf('2026-03-08T03:00:00.000Z')).toBe('+00:00');
  });
});

describe('formatIn', () => {
  it('shows one instant in two zones', () => {
    const iso = '2026-07-01T12:00:00.000Z';
    expect(formatIn(iso, 'Asia/Kolkata')).toContain('17:30:00');
    expect(formatIn(iso, 'America/New_York')).toContain('08:00:00');
    expect(formatIn(null, 'UTC')).toBe('—');
  });
});

describe('formatDuration', () => {
  it('scales the unit', () => {
    expect(formatDuration(950)).toBe('950 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(61_000)).toBe('1 min 1 s');
    expect(formatDuration(null)).toBe('—');
  });
});
