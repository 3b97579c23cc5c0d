import { describe, expect, it } from '@jest/globals';
import { wallAt } from '../../test/support/cron-reference.js';
import { calendarExcludes, compileCalendar, localDateOf } from './calendar-rules.js';

/**
 * The reference is brute force and shares no code with calendar-rules.ts: the wall clock of each
 * minute read from Intl (test/support/cron-reference.ts), its date compared with the list.
 */
const MINUTE = 60_000;
const pad = (n: number): string => String(n).padStart(2, '0');
function refLocalDate(zone: string, t: number): string {
  const w = wallAt(zone, t);
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}`;
}

/** Excluded minutes of [from, from + hours) by the reference and by the rule, side by side. */
function walk(zone: string, dates: string[], fromIso: string, hours: number) {
  const rule = compileCalendar({ id: 'c', timezone: zone, dates, ranges: [] });
  const wanted = new Set(dates);
  const mismatches: string[] = [];
  let excluded = 0;
  const start = Date.parse(fromIso);
  for (let t = start; t < start + hours * 3_600_000; t += MINUTE) {
    const ref = wanted.has(refLocalDate(zone, t));
    if (ref) {
      excluded++;
    }
    if (calendarExcludes(rule, new Date(t)) !== ref) {
      mismatches.push(new Date(t).toISOString());
    }
  }
  return { mismatches: mismatches.slice(0, 5), excludedHours: excluded / 60 };
}

describe('calendar exclusion (local dates, instant ranges)', () => {
  it.each([
    // zone, excluded local date, a window around it (UTC), hours that date lasts there
    ['Europe/Berlin', '2026-03-29', '2026-03-27T00:00:00Z', 23], // spring forward
    ['Europe/Berlin', '2026-10-25', '2026-10-23T00:00:00Z', 25], // fall back
    ['America/New_York', '2026-03-08', '2026-03-06T00:00:00Z', 23],
    ['America/New_York', '2026-11-01', '2026-10-30T00:00:00Z', 25],
    ['Australia/Lord_Howe', '2026-04-05', '2026-04-03T00:00:00Z', 24.5], // 30-minute DST shift
    ['Asia/Kolkata', '2026-12-25', '2026-12-23T00:00:00Z', 24],
    ['America/Sao_Paulo', '2026-06-15', '2026-06-13T00:00:00Z', 24],
    ['Pacific/Apia', '2011-12-31', '2011-12-28T00:00:00Z', 24], // the day after a skipped day
  ])('%s %s: the whole local day and only it', (zone, date, from, hours) => {
    const { mismatches, excludedHours } = walk(zone, [date], from, 96);
    expect(mismatches).toEqual([]);
    expect(excludedHours).toBe(hours);
  });

  it('a date that never happened in the zone excludes nothing (Samoa skipped 2011-12-30)', () => {
    const { mismatches, excludedHours } = walk(
      'Pacific/Apia',
      ['2011-12-30'],
      '2011-12-28T00:00:00Z',
      96,
    );
    expect(mismatches).toEqual([]);
    expect(excludedHours).toBe(0);
  });

  it('agrees with the reference across a whole year of dates in several zones', () => {
    const dates = ['2026-01-01', '2026-03-29', '2026-07-04', '2026-10-25', '2026-12-31'];
    for (const zone of ['Europe/London', 'America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
      for (const d of dates) {
        const from = new Date(Date.parse(`${d}T00:00:00Z`) - 36 * 3_600_000).toISOString();
        expect({ zone, d, ...walk(zone, dates, from, 72) }).toMatchObject({
          zone,
          d,
          mismatches: [],
        });
      }
    }
  });

  it('ranges are half-open instants [from, to), in any order', () => {
    const rule = compileCalendar({
      id: 'c',
      timezone: 'UTC',
      dates: [],
      ranges: [
        { from: new Date('2026-05-02T00:00:00Z'), to: new Date('2026-05-02T01:00:00Z') },
        { from: new Date('2026-05-01T10:00:00Z'), to: new Date('2026-05-01T10:30:00Z') },
      ],
    });
    const ex = (iso: string): boolean => calendarExcludes(rule, new Date(iso));
    expect(ex('2026-05-01T09:59:59.999Z')).toBe(false);
    expect(ex('2026-05-01T10:00:00.000Z')).toBe(true);
    expect(ex('2026-05-01T10:29:59.999Z')).toBe(true);
    expect(ex('2026-05-01T10:30:00.000Z')).toBe(false);
    expect(ex('2026-05-02T00:30:00.000Z')).toBe(true);
    expect(ex('2026-05-02T01:00:00.000Z')).toBe(false);
  });

  it('reads the local date in the zone, not in UTC', () => {
    // 2026-12-24T20:00Z is already Dec 25 in Tokyo and still Dec 24 in New York.
    const t = Date.parse('2026-12-24T20:00:00Z');
    expect(localDateOf('Asia/Tokyo', t)).toBe('2026-12-25');
    expect(localDateOf('America/New_York', t)).toBe('2026-12-24');
  });
});
