/**
 * Test support: an independent, brute-force statement of the cron
 * rules in the README's "Time zones and DST", used to check cron.ts. It shares no code with it:
 * expressions are given as sets of allowed values (the generator in cron.spec.ts renders their
 * text), and time is walked instant by instant, reading each instant's wall time from `Intl`.
 */

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;

export type DomSpec =
  | { kind: 'set'; days: Set<number> }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number };

export type DowSpec =
  | { kind: 'set'; weekdays: Set<number> }
  | { kind: 'nth'; weekday: number; nth: number }
  | { kind: 'lastOf'; weekday: number };

export interface RefCron {
  text: string;
  seconds: number[];
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  dom: DomSpec;
  dow: DowSpec;
  /** Either day field's text starts with `*` (or is `?`). */
  domOrDowStar: boolean;
  /** Neither minute nor hour text starts with `*`. */
  fixedTime: boolean;
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  ms: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `zone` at instant `t`, from Intl's parts. */
export function wallAt(zone: string, t: number): Wall {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(t)) {
    if (p.type !== 'literal') {
      parts[p.type] = Number(p.value);
    }
  }
  const ms = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return { y: parts.year, mo: parts.month, d: parts.day, h: parts.hour, mi: parts.minute, ms };
}

function wallFields(ms: number): Wall {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    ms,
  };
}

const lastDay = (y: number, mo: number): number => new Date(Date.UTC(y, mo, 0)).getUTCDate();
const weekday = (y: number, mo: number, d: number): number =>
  new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
const isWeekday = (y: number, mo: number, d: number): boolean =>
  weekday(y, mo, d) !== 0 && weekday(y, mo, d) !== 6;

/** The weekday of the month nearest to `day` (earlier wins a tie), or 0 past the month's end. */
function nearestWeekday(y: number, mo: number, day: number): number {
  const last = lastDay(y, mo);
  if (day > last) {
    return 0;
  }
  for (let dist = 0; dist < 4; dist++) {
    for (const d of [day - dist, day + dist]) {
      if (d >= 1 && d <= last && isWeekday(y, mo, d)) {
        return d;
      }
    }
  }
  return 0;
}

function domMatches(dom: DomSpec, y: number, mo: number, d: number): boolean {
  switch (dom.kind) {
    case 'set':
      return dom.days.has(d);
    case 'last':
      return d === lastDay(y, mo);
    case 'lastWeekday': {
      let w = lastDay(y, mo);
      while (!isWeekday(y, mo, w)) {
        w--;
      }
      return d === w;
    }
    case 'nearestWeekday':
      return d === nearestWeekday(y, mo, dom.day);
  }
}

function dowMatches(dow: DowSpec, y: number, mo: number, d: number): boolean {
  const w = weekday(y, mo, d);
  switch (dow.kind) {
    case 'set':
      return dow.weekdays.has(w);
    case 'nth':
      return w === dow.weekday && Math.ceil(d / 7) === dow.nth;
    case 'lastOf':
      return w === dow.weekday && d + 7 > lastDay(y, mo);
  }
}

export function refDayMatches(c: RefCron, y: number, mo: number, d: number): boolean {
  if (!c.months.has(mo)) {
    return false;
  }
  const a = domMatches(c.dom, y, mo, d);
  const b = dowMatches(c.dow, y, mo, d);
  return c.domOrDowStar ? a && b : a || b;
}

const minuteMatches = (c: RefCron, w: Wall): boolean =>
  refDayMatches(c, w.y, w.mo, w.d) && c.hours.has(w.h) && c.minutes.has(w.mi);

/**
 * The slots strictly after `after`, at most `count`, walking instants up to `until`: minute by
 * minute, or 15 minutes at a time where the day or hour cannot match (every zone's offsets and
 * transitions fall on quarter hours of UTC, so no transition is stepped over).
 */
export function referenceSlots(
  c: RefCron,
  zone: string,
  after: number,
  count: number,
  until: number,
): number[] {
  const out: number[] = [];
  const push = (t: number): void => {
    if (out[out.length - 1] !== t) {
      out.push(t);
    }
  };
  /** Whether wall time `w` (ms) was already shown at an earlier instant (a repeated hour). */
  const shownBefore = (w: number, t: number): boolean => {
    for (let back = QUARTER; back <= 3 * 60 * MINUTE; back += QUARTER) {
      if (wallAt(zone, t - back).ms === w) {
        return true;
      }
    }
    return false;
  };
  let m = Math.floor(after / MINUTE) * MINUTE;
  let prev = wallAt(zone, m - MINUTE);
  while (out.length < count && m <= until) {
    const w = wallAt(zone, m);
    if (c.fixedTime && w.ms - prev.ms > MINUTE && m > after) {
      // A spring-forward gap ends at m: a fixed time inside it fires now, once.
      for (let g = prev.ms + MINUTE; g < w.ms; g += MINUTE) {
        if (minuteMatches(c, wallFields(g))) {
          push(m);
          break;
        }
      }
    }
    if (minuteMatches(c, w)) {
      for (const s of c.seconds) {
        const t = m + s * 1000;
        if (t > after && !(c.fixedTime && shownBefore(w.ms + s * 1000, t))) {
          push(t);
        }
      }
    }
    const idle = !refDayMatches(c, w.y, w.mo, w.d) || !c.hours.has(w.h);
    if (idle && m % QUARTER === 0) {
      m += QUARTER;
      prev = wallAt(zone, m - MINUTE);
    } else {
      m += MINUTE;
      prev = w;
    }
  }
  return out.slice(0, count);
}
