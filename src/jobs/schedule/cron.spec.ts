import { afterEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import {
  referenceSlots,
  wallAt,
  type DomSpec,
  type DowSpec,
  type RefCron,
} from '../../../test/support/cron-reference.js';
import { forgetZoneData, localIso } from '../../core/time/zone.js';
import { cronProblem, nextSlot, previewSlots, scheduleOf } from './schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2028, 0, 1);

/** The engine's next `count` slots after `after` (each strictly after the previous). */
function engineSlots(text: string, zone: string, after: number, count: number): number[] {
  const schedule = scheduleOf({ jobType: 'scheduled', cronExpression: text, timezone: zone });
  const out: number[] = [];
  let t: Date | null = new Date(after);
  while (out.length < count && (t = nextSlot(schedule, t))) {
    out.push(t.getTime());
  }
  return out;
}

const offsetAt = (zone: string, t: number): number => wallAt(zone, t).ms - t;

/** Every zone's transitions in 2026-2027, found by the test itself (6-hour samples, bisected). */
function transitionsOf(zone: string): number[] {
  const out: number[] = [];
  let prev = offsetAt(zone, FROM);
  for (let t = FROM + 6 * HOUR; t <= TO; t += 6 * HOUR) {
    const o = offsetAt(zone, t);
    if (o !== prev) {
      let lo = t - 6 * HOUR;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetAt(zone, mid) === prev) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      out.push(hi);
      prev = o;
    }
  }
  return out;
}

const ZONES = Intl.supportedValuesOf('timeZone');
const TRANSITIONS: [string, number][] = ZONES.flatMap((z) =>
  transitionsOf(z).map((t): [string, number] => [z, t]),
);

// ---------------------------------------------------------------- expression generator

interface Field {
  text: string;
  values: Set<number>;
}

const range = (a: number, b: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = a; v <= b; v += step) {
    out.push(v);
  }
  return out;
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** One list item of a numeric field: a value, a range, a stepped range or `a/n`. */
function itemArb(
  lo: number,
  hi: number,
  name?: (v: number) => string | undefined,
): fc.Arbitrary<Field> {
  const label = (v: number, useName: boolean): string => (useName && name?.(v)) || String(v);
  return fc.oneof(
    fc.tuple(fc.integer({ min: lo, max: hi }), fc.boolean()).map(([v, n]) => ({
      text: label(v, n),
      values: new Set([v]),
    })),
    fc
      .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }), fc.boolean())
      .map(([a, b, n]) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        return { text: `${label(x, n)}-${label(y, n)}`, values: new Set(range(x, y)) };
      }),
    fc
      .tuple(
        fc.integer({ min: lo, max: hi }),
        fc.integer({ min: lo, max: hi }),
        fc.integer({ min: 1, max: 7 }),
      )
      .map(([a, b, n]) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        const step = Math.min(n, y - x + 1);
        return { text: `${x}-${y}/${step}`, values: new Set(range(x, y, step)) };
      }),
    fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: 1, max: 6 })).map(([a, n]) => ({
      text: `${a}/${n}`,
      values: new Set(range(a, hi, n)),
    })),
  );
}

/** A whole numeric field: `*`, `*\/n` or a list of items. */
function fieldArb(
  lo: number,
  hi: number,
  opts: { name?: (v: number) => string | undefined; star?: number; hot?: number[] } = {},
): fc.Arbitrary<Field> {
  const item = opts.hot
    ? fc.oneof(
        itemArb(lo, hi, opts.name),
        fc.constantFrom(...opts.hot).map((v) => ({ text: String(v), values: new Set([v]) })),
      )
    : itemArb(lo, hi, opts.name);
  return fc.oneof(
    {
      weight: opts.star ?? 3,
      arbitrary: fc.constant({ text: '*', values: new Set(range(lo, hi)) }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 2, max: Math.min(15, hi - lo) }).map((n) => ({
        text: `*/${n}`,
        values: new Set(range(lo, hi, n)),
      })),
    },
    {
      weight: 4,
      arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => ({
        text: items.map((i) => i.text).join(','),
        values: new Set(items.flatMap((i) => [...i.values])),
      })),
    },
  );
}

const dom = (text: string, spec: DomSpec): { text: string; spec: DomSpec } => ({ text, spec });
const dow = (text: string, spec: DowSpec): { text: string; spec: DowSpec } => ({ text, spec });

const domArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom('*', '?')
      .map((text) => dom(text, { kind: 'set', days: new Set(range(1, 31)) })),
  },
  {
    weight: 3,
    arbitrary: fieldArb(1, 31, { star: 0 }).map((f) =>
      dom(f.text, { kind: 'set', days: f.values }),
    ),
  },
  { weight: 1, arbitrary: fc.constant(dom('L', { kind: 'last' })) },
  { weight: 1, arbitrary: fc.constant(dom('LW', { kind: 'lastWeekday' })) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 31 })
      .map((d) => dom(`${d}W`, { kind: 'nearestWeekday', day: d })),
  },
);

const dowArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom('*', '?')
      .map((text) => dow(text, { kind: 'set', weekdays: new Set(range(0, 6)) })),
  },
  {
    weight: 3,
    arbitrary: fieldArb(0, 7, { star: 0, name: (v) => DAYS[v] }).map((f) =>
      dow(f.text, { kind: 'set', weekdays: new Set([...f.values].map((v) => v % 7)) }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 }))
      .map(([w, n]) => dow(`${w}#${n}`, { kind: 'nth', weekday: w, nth: n })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 6 })
      .map((w) => dow(`${w}L`, { kind: 'lastOf', weekday: w })),
  },
);

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const cronArb: fc.Arbitrary<RefCron> = fc
  .record({
    seconds: fc.option(fieldArb(0, 59, { star: 1 }), { freq: 3 }),
    minutes: fieldArb(0, 59, { hot: [0, 15, 30, 45] }),
    hours: fieldArb(0, 23, { hot: [0, 1, 2, 3, 23] }),
    dom: domArb,
    months: fc.oneof(
      { weight: 4, arbitrary: fc.constant({ text: '*', values: new Set(range(1, 12)) }) },
      {
        weight: 1,
        arbitrary: fieldArb(1, 12, { star: 0, name: (v) => MONTHS[v - 1], hot: [3, 4, 9, 10, 11] }),
      },
    ),
    dow: dowArb,
  })
  .map((f) => {
    const fields = [f.minutes.text, f.hours.text, f.dom.text, f.months.text, f.dow.text];
    return {
      text: (f.seconds ? [f.seconds.text, ...fields] : fields).join(' '),
      seconds: f.seconds ? [...f.seconds.values].sort((a, b) => a - b) : [0],
      minutes: f.minutes.values,
      hours: f.hours.values,
      months: f.months.values,
      dom: f.dom.spec,
      dow: f.dow.spec,
      domOrDowStar: /^[*?]/.test(f.dom.text) || /^[*?]/.test(f.dow.text),
      fixedTime: !f.minutes.text.startsWith('*') && !f.hours.text.startsWith('*'),
    };
  });

/** A macro or five plain fields, as the reference reads them. */
function plainCron(text: string): RefCron {
  const [mi, h, dom, mo, dow] = (MACROS[text] ?? text).split(' ');
  const set = (field: string, lo: number, hi: number): Set<number> => {
    const step = /^\*(?:\/(\d+))?$/.exec(field);
    return step
      ? new Set(range(lo, hi, Number(step[1] ?? 1)))
      : new Set(field.split(',').map(Number));
  };
  return {
    text,
    seconds: [0],
    minutes: set(mi, 0, 59),
    hours: set(h, 0, 23),
    months: set(mo, 1, 12),
    dom: { kind: 'set', days: set(dom, 1, 31) },
    dow: { kind: 'set', weekdays: set(dow, 0, 6) },
    domOrDowStar: dom.startsWith('*') || dow.startsWith('*'),
    fixedTime: !mi.startsWith('*') && !h.startsWith('*'),
  };
}

const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());

/** Engine and reference agree on every slot up to `until` (at most `count`). */
function expectAgreement(
  c: RefCron,
  zone: string,
  after: number,
  count: number,
  until: number,
): void {
  const expected = referenceSlots(c, zone, after, count, until);
  const actual = engineSlots(c.text, zone, after, count).filter((t) => t <= until);
  expect({ cron: c.text, zone, after: new Date(after).toISOString(), slots: iso(actual) }).toEqual({
    cron: c.text,
    zone,
    after: new Date(after).toISOString(),
    slots: iso(expected.length < count ? expected : expected.slice(0, actual.length)),
  });
}

describe('cron rules against a brute-force reference', () => {
  it('finds the zones the rules must hold in (DST and other offset changes in 2026-27)', () => {
    const zones = new Set(TRANSITIONS.map(([z]) => z));
    expect(zones.size).toBeGreaterThan(100);
    for (const z of [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/Santiago',
      'Africa/Casablanca',
    ]) {
      expect(zones.has(z)).toBe(true);
    }
  });

  it('holds for generated expressions in every such zone, from instants around each transition', () => {
    fc.assert(
      fc.property(
        cronArb,
        fc.nat({ max: TRANSITIONS.length - 1 }),
        fc.oneof(
          fc.constantFrom(-61 * 60_000, -60_000, 0, 59_000, 20 * 60_000, 61 * 60_000, 3 * HOUR),
          fc.integer({ min: -2 * DAY, max: 2 * DAY }),
        ),
        (c, i, shift) => {
          const [zone, transition] = TRANSITIONS[i];
          const after = transition + shift;
          expectAgreement(c, zone, after, 10, after + 45 * DAY);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('holds for generated expressions at random instants in random zones', () => {
    fc.assert(
      fc.property(
        cronArb,
        fc.constantFrom(...ZONES),
        fc.integer({ min: FROM, max: TO - 60 * DAY }),
        (c, zone, after) => {
          expectAgreement(c, zone, after, 10, after + 45 * DAY);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('holds for the common fixed and wildcard shapes across every transition of 2026-27', () => {
    const shapes = [
      '0 2 * * *',
      '30 2 * * *',
      '0 1 * * *',
      '0 0 * * *',
      '30 23 * * *',
      '0 1,2 * * *',
    ];
    const wildcard = ['0 * * * *', '*/15 * * * *', '30 * * * *'];
    for (const [zone, t] of TRANSITIONS) {
      for (const text of shapes) {
        expectAgreement(plainCron(text), zone, t - 26 * HOUR, 3, t + 3 * DAY);
      }
      for (const text of wildcard) {
        expectAgreement(plainCron(text), zone, t - 2 * HOUR - 60_000, 12, t + DAY);
      }
    }
  });
});

describe('cron rules: the examples of the exact-time issue', () => {
  const local = (text: string, zone: string, from: string, n: number): string[] =>
    engineSlots(text, zone, Date.parse(from), n).map((t) => localIso(zone, new Date(t)));

  it('fires a fixed time once on fall-back day, at its first occurrence', () => {
    expect(local('0 2 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T02:00:00.000-05:00',
      '2026-11-02T02:00:00.000-05:00',
    ]);
    expect(local('0 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T01:00:00.000-04:00',
      '2026-11-02T01:00:00.000-05:00',
    ]);
    expect(local('0 3 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T03:00:00.000+01:00',
      '2026-10-26T03:00:00.000+01:00',
    ]);
    // Chile falls back at midnight (00:00 -03 -> 23:00 -04): midnight then happens once, at -04.
    expect(local('0 0 * * *', 'America/Santiago', '2026-04-04T12:00:00Z', 2)).toEqual([
      '2026-04-05T00:00:00.000-04:00',
      '2026-04-06T00:00:00.000-04:00',
    ]);
    expect(local('0 1,2 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 3)).toEqual([
      '2026-11-01T01:00:00.000-04:00',
      '2026-11-01T02:00:00.000-05:00',
      '2026-11-02T01:00:00.000-05:00',
    ]);
    expect(local('0 1 * * *', 'Europe/London', '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T01:00:00.000+01:00',
      '2026-10-26T01:00:00.000+00:00',
    ]);
    expect(local('30 1 * * *', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z', 2)).toEqual([
      '2026-04-05T01:30:00.000+11:00',
      '2026-04-06T01:30:00.000+10:30',
    ]);
  });

  it('fires a fixed time skipped by spring-forward once, at the first instant after the gap', () => {
    expect(local('15 2 * * *', 'Australia/Sydney', '2026-10-03T00:00:00Z', 2)).toEqual([
      '2026-10-04T03:00:00.000+11:00',
      '2026-10-05T02:15:00.000+11:00',
    ]);
    expect(local('30 2 * * *', 'Africa/Casablanca', '2026-03-21T12:00:00Z', 2)).toEqual([
      '2026-03-22T03:00:00.000+01:00',
      '2026-03-23T02:30:00.000+01:00',
    ]);
    expect(local('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08T03:00:00.000-04:00',
      '2026-03-09T02:30:00.000-04:00',
    ]);
    expect(local('30 30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 1)).toEqual([
      '2026-03-08T03:00:00.000-04:00',
    ]);
    expect(local('0 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2)).toEqual([
      '2026-10-04T02:30:00.000+11:00',
      '2026-10-05T02:00:00.000+11:00',
    ]);
    expect(local('0 0 * * *', 'America/Santiago', '2026-09-05T12:00:00Z', 2)).toEqual([
      '2026-09-06T01:00:00.000-03:00',
      '2026-09-07T00:00:00.000-03:00',
    ]);
  });

  it('gives a wildcard job no slot in a gap and both passes of a repeated hour', () => {
    expect(local('5 * * * *', 'America/New_York', '2026-03-08T05:30:00Z', 2)).toEqual([
      '2026-03-08T01:05:00.000-05:00',
      '2026-03-08T03:05:00.000-04:00',
    ]);
    expect(local('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 3)).toEqual([
      '2026-11-01T01:00:00.000-04:00',
      '2026-11-01T01:00:00.000-05:00',
      '2026-11-01T02:00:00.000-05:00',
    ]);
    expect(local('*/15 1 * * *', 'America/New_York', '2026-11-01T04:50:00Z', 9)).toEqual([
      '2026-11-01T01:00:00.000-04:00',
      '2026-11-01T01:15:00.000-04:00',
      '2026-11-01T01:30:00.000-04:00',
      '2026-11-01T01:45:00.000-04:00',
      '2026-11-01T01:00:00.000-05:00',
      '2026-11-01T01:15:00.000-05:00',
      '2026-11-01T01:30:00.000-05:00',
      '2026-11-01T01:45:00.000-05:00',
      '2026-11-02T01:00:00.000-05:00',
    ]);
    const quarter = engineSlots(
      '*/15 * * * *',
      'America/New_York',
      Date.parse('2026-11-01T04:50:00Z'),
      12,
    );
    expect(quarter.slice(1).map((t, i) => t - quarter[i])).toEqual(Array(11).fill(15 * 60_000));
    // Chatham (+12:45/+13:45) springs forward at 02:45: 03:00 does not exist that day.
    expect(local('0 * * * *', 'Pacific/Chatham', '2026-09-26T12:00:00Z', 3)).toEqual([
      '2026-09-27T01:00:00.000+12:45',
      '2026-09-27T02:00:00.000+12:45',
      '2026-09-27T04:00:00.000+13:45',
    ]);
  });

  it('reads the day fields as cronie does', () => {
    // A field listing every weekday is not `*`: day of month OR day of week, so every day.
    expect(local('0 0 1 * 0-6', 'UTC', '2026-10-30T12:00:00Z', 3)).toEqual([
      '2026-10-31T00:00:00.000+00:00',
      '2026-11-01T00:00:00.000+00:00',
      '2026-11-02T00:00:00.000+00:00',
    ]);
    // `*/2` starts with `*`: odd-numbered days AND Mondays.
    expect(local('0 0 */2 * 1', 'UTC', '2026-10-30T12:00:00Z', 3)).toEqual([
      '2026-11-09T00:00:00.000+00:00',
      '2026-11-23T00:00:00.000+00:00',
      '2026-12-07T00:00:00.000+00:00',
    ]);
  });

  it('accepts macros, L, W and #', () => {
    const from = '2026-01-30T12:00:00Z';
    expect(local('@daily', 'UTC', from, 1)).toEqual(['2026-01-31T00:00:00.000+00:00']);
    expect(local('@hourly', 'UTC', from, 1)).toEqual(['2026-01-30T13:00:00.000+00:00']);
    expect(local('@weekly', 'UTC', from, 1)).toEqual(['2026-02-01T00:00:00.000+00:00']);
    expect(local('@monthly', 'UTC', from, 1)).toEqual(['2026-02-01T00:00:00.000+00:00']);
    expect(local('@yearly', 'UTC', from, 1)).toEqual(['2027-01-01T00:00:00.000+00:00']);
    expect(local('0 0 L * *', 'UTC', from, 2)).toEqual([
      '2026-01-31T00:00:00.000+00:00',
      '2026-02-28T00:00:00.000+00:00',
    ]);
    // 15 Feb 2026 is a Sunday: the nearest weekday is Monday 16th.
    expect(local('0 0 15W * *', 'UTC', from, 1)).toEqual(['2026-02-16T00:00:00.000+00:00']);
    expect(local('0 0 LW * *', 'UTC', from, 1)).toEqual(['2026-02-27T00:00:00.000+00:00']);
    expect(local('0 0 * * 1#2', 'UTC', from, 1)).toEqual(['2026-02-09T00:00:00.000+00:00']);
    expect(local('0 0 * * 5L', 'UTC', from, 1)).toEqual(['2026-02-27T00:00:00.000+00:00']);
    expect(local('0 5/15 * * *', 'UTC', from, 2)).toEqual([
      '2026-01-30T20:00:00.000+00:00',
      '2026-01-31T05:00:00.000+00:00',
    ]);
  });

  it('previews 100 slots of an expression that fires once every four years', () => {
    const slots = previewSlots(
      scheduleOf({ jobType: 'scheduled', cronExpression: '0 0 29 2 *', timezone: 'Europe/Paris' }),
      new Date('2026-12-01T00:00:00Z'),
      100,
    );
    expect(slots).toHaveLength(100);
    expect(slots.slice(0, 5).map((d) => localIso('Europe/Paris', d))).toEqual(
      [2028, 2032, 2036, 2040, 2044].map((y) => `${y}-02-29T00:00:00.000+01:00`),
    );
    // 2100, 2200 and 2300 are not leap years.
    expect(slots.map((d) => d.getUTCFullYear())).not.toContain(2100);
    expect(slots[99].getUTCFullYear()).toBe(2436);
  });

  it('rejects what never fires, and what is not cron', () => {
    expect(cronProblem('0 0 30 2 *')).toBe('never fires (no matching date)');
    expect(cronProblem('0 0 31 4,6,9,11 *')).toBe('never fires (no matching date)');
    // 02:xx on the second Sunday of March never exists in New York; it does in UTC.
    expect(cronProblem('* 2 * 3 0#2', 'America/New_York')).toBe('never fires in America/New_York');
    expect(cronProblem('* 2 * 3 0#2', 'UTC')).toBeNull();
    for (const bad of [
      '@reboot',
      '@every 5m',
      '0 0 * *',
      '0 0 0 0 * * *',
      '61 * * * *',
      '0 0 * * 8',
    ]) {
      expect(cronProblem(bad)).toEqual(expect.any(String));
    }
  });

  it('never goes backwards, even when asked inside a repeated hour', () => {
    const zone = 'America/New_York';
    for (const text of [
      '0 1 * * *',
      '*/15 1 * * *',
      '0 * * * *',
      '15,45 1 * * *',
      '*/20 * * * * *',
    ]) {
      for (
        let t = Date.parse('2026-11-01T04:40:00Z');
        t < Date.parse('2026-11-01T06:20:00Z');
        t += 7 * 60_000
      ) {
        const slots = previewSlots(
          scheduleOf({ jobType: 'scheduled', cronExpression: text, timezone: zone }),
          new Date(t),
          6,
        );
        expect(slots[0].getTime()).toBeGreaterThan(t);
        for (let i = 1; i < slots.length; i++) {
          expect(slots[i].getTime()).toBeGreaterThan(slots[i - 1].getTime());
        }
      }
    }
  });
});

describe('cron rules: independent of the process clock', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('answers the same with a January and a July clock', () => {
    const asks = TRANSITIONS.filter((_, i) => i % 7 === 0).flatMap(([zone, t]) =>
      ['0 1 * * *', '30 2 * * *', '0 * * * *'].map((text) => ({ zone, text, after: t - HOUR })),
    );
    const answer = (): number[][] => asks.map((a) => engineSlots(a.text, a.zone, a.after, 3));
    forgetZoneData();
    jest.useFakeTimers({ now: Date.parse('2026-01-15T12:00:00Z') });
    const january = answer();
    forgetZoneData();
    jest.setSystemTime(Date.parse('2026-07-15T12:00:00Z'));
    const july = answer();
    expect(july).toEqual(january);
    expect(asks.length).toBeGreaterThan(50);
  });
});
