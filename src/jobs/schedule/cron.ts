import { CronPattern } from 'croner';
import { zoneSegmentAt } from '../../core/time/zone.js';

/**
 * Cron with cronie's rules, made exact (README, "Time zones and DST"). `croner` parses the text
 * (fields, names, ranges, steps, `L`, `W`, `#`); matching wall times and turning them into
 * instants is done here, over the zone's transitions (zone.ts):
 * - a day matches both day fields when either starts with `*`, else either of them;
 * - a *fixed-time* rule (neither minute nor hour starts with `*`) fires a wall time skipped by
 *   spring-forward once, at the first instant after the gap, and a wall time repeated by
 *   fall-back once, at its first occurrence;
 * - a *wildcard* rule has no slots in a gap and fires in both passes of a repeated hour.
 * The next slot depends only on (expression, zone, instant) and the zone data.
 */

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;
/** Every pattern of days repeats within 400 Gregorian years. */
const HORIZON_YEARS = 401;

/** The macros and the expressions they stand for (cron.ts parses them, describe.ts spells them). */
export const CRON_MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Field maxima (seconds first); cronie's day of week runs 0-7. */
const FIELD_MAX = [59, 59, 23, 31, 12, 7];
const DOW = 5;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * A plain day-of-week item (`*`, `v`, `a-b`, any with `/n`; names or 0-7) as the weekdays it
 * means in cronie, listed as numbers 0-6. croner reads `SUN` at a range's end as 7 (so `SUN-SUN`
 * is every day) and drops 7 from stepped ranges (`5-7/2` loses Sunday). Other items (`#`, `L`,
 * anything invalid) are left to croner.
 */
function cronieWeekdays(item: string): string {
  const m = /^(?:(\*)|(\w+)(?:-(\w+))?)(?:\/(\d+))?$/.exec(item);
  if (!m) {
    return item;
  }
  const value = (v: string): number => {
    const named = WEEKDAYS.indexOf(v.toLowerCase());
    return named >= 0 ? named : /^\d+$/.test(v) ? Number(v) : NaN;
  };
  const from = m[1] ? 0 : value(m[2]);
  const to = m[1] ? 7 : m[3] !== undefined ? value(m[3]) : m[4] ? 7 : from;
  const step = m[4] ? Number(m[4]) : 1;
  if (!(from <= to && to <= 7 && step >= 1)) {
    return item;
  }
  const days = new Set<number>();
  for (let d = from; d <= to; d += step) {
    days.add(d % 7);
  }
  return [...days].join(',');
}

/**
 * cronie's spellings croner reads otherwise: `a/n` means `a-max/n`, `?` "no specific value"
 * (croner would read it as the value at start-up, a dependence on the process clock), and plain
 * day-of-week items (cronieWeekdays).
 */
function cronieField(field: string, index: number): string {
  if (field === '?') {
    return '*';
  }
  return field
    .split(',')
    .map((item) =>
      index === DOW
        ? cronieWeekdays(item)
        : item.replace(/^([0-9A-Za-z]+)\/(\d+)$/, `$1-${FIELD_MAX[index]}/$2`),
    )
    .join(',');
}

/** next[v] = the smallest allowed value >= v, or -1; one slot past the top stays -1 (carry). */
function nextTable(allowed: number[]): Int8Array {
  const next = new Int8Array(allowed.length + 1).fill(-1);
  for (let v = allowed.length - 1; v >= 0; v--) {
    next[v] = allowed[v] ? v : next[v + 1];
  }
  return next;
}

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
const weekdayOf = (y: number, m: number, d: number): number =>
  new Date(Date.UTC(y, m, d)).getUTCDay();

/** Quartz's `W`: the weekday nearest to `day` within the same month (0 when the day is absent). */
function nearestWeekday(y: number, m: number, day: number, dim: number): number {
  if (day > dim) {
    return 0;
  }
  const w = weekdayOf(y, m, day);
  if (w === 6) {
    return day === 1 ? 3 : day - 1;
  }
  if (w === 0) {
    return day === dim ? day - 2 : day + 1;
  }
  return day;
}

/** croner's day-of-month and day-of-week fields (dayOfWeek holds nth-weekday bits; 32 = last). */
interface DayFields {
  day: Uint8Array;
  dayOfWeek: Uint8Array;
  nearestWeekdays: Uint8Array;
  lastDayOfMonth: boolean;
  lastWeekday: boolean;
}

export class CronRule {
  readonly fixedTime: boolean;
  private readonly seconds: Int8Array;
  private readonly minutes: Int8Array;
  private readonly hours: Int8Array;
  private readonly months: Uint8Array;
  /** The day fields as croner parsed them (copied: a CronPattern also holds a year array of
   * thousands of entries, ~80 KB, which 1,000 distinct expressions would keep for nothing). */
  private readonly days: DayFields;
  /** Either day field starts with `*`: a day must match both. */
  private readonly bothDays: boolean;
  private readonly dayMasks = new Map<number, number>();

  /** `fields`: six fields as written (seconds first); read with cronie's spellings. */
  private constructor(fields: string[]) {
    const [, min, hour, dom, , dow] = fields.map((f) => (f === '?' ? '*' : f));
    const pattern = new CronPattern(fields.map(cronieField).join(' '), undefined, {
      mode: '6-part',
    });
    this.seconds = nextTable(pattern.second);
    this.minutes = nextTable(pattern.minute);
    this.hours = nextTable(pattern.hour);
    this.months = Uint8Array.from(pattern.month);
    this.days = {
      day: Uint8Array.from(pattern.day),
      dayOfWeek: Uint8Array.from(pattern.dayOfWeek),
      nearestWeekdays: Uint8Array.from(pattern.nearestWeekdays),
      lastDayOfMonth: pattern.lastDayOfMonth,
      lastWeekday: pattern.lastWeekday,
    };
    this.bothDays = dom.startsWith('*') || dow.startsWith('*');
    this.fixedTime = !min.startsWith('*') && !hour.startsWith('*');
  }

  /** Parses an expression (5 fields, 6 with seconds first, or a macro); throws with a reason. */
  static parse(expression: string): CronRule {
    const text = expression.trim();
    const macro = CRON_MACROS[text.toLowerCase()];
    const fields = (macro ?? text).split(/\s+/);
    if (text.startsWith('@') && !macro) {
      throw new Error(`unknown macro ${text} (known: ${Object.keys(CRON_MACROS).join(', ')})`);
    }
    if (fields.length !== 5 && fields.length !== 6) {
      throw new Error(
        'must have 5 fields (minute hour day month weekday) or 6 with seconds first, or be a macro such as @daily',
      );
    }
    if (fields.length === 5) {
      fields.unshift('0');
    }
    try {
      return new CronRule(fields);
    } catch (e) {
      throw new Error((e as Error).message.replace(/^CronPattern: /, ''), { cause: e });
    }
  }

  /** Days of month `m` (0-11) of year `y` that match, as bits 1..31. */
  dayMask(y: number, m: number): number {
    const key = y * 12 + m;
    let mask = this.dayMasks.get(key);
    if (mask === undefined) {
      mask = this.computeDayMask(y, m);
      if (this.dayMasks.size >= 2400) {
        this.dayMasks.clear();
      }
      this.dayMasks.set(key, mask);
    }
    return mask;
  }

  private computeDayMask(y: number, m: number): number {
    const p = this.days;
    const dim = daysIn(y, m);
    const first = weekdayOf(y, m, 1);
    let dom = 0;
    let dow = 0;
    for (let d = 1; d <= dim; d++) {
      if (p.day[d - 1]) {
        dom |= 1 << d;
      }
      const w = (first + d - 1) % 7;
      const nth = p.dayOfWeek[w];
      if (nth && (nth & (1 << Math.floor((d - 1) / 7)) || (nth & 32 && d + 7 > dim))) {
        dow |= 1 << d;
      }
    }
    if (p.lastDayOfMonth) {
      dom |= 1 << dim;
    }
    if (p.lastWeekday) {
      const w = weekdayOf(y, m, dim);
      dom |= 1 << (w === 6 ? dim - 1 : w === 0 ? dim - 2 : dim);
    }
    for (let d = 1; d <= 31; d++) {
      if (p.nearestWeekdays[d - 1]) {
        const near = nearestWeekday(y, m, d, dim);
        if (near) {
          dom |= 1 << near;
        }
      }
    }
    return this.bothDays ? dom & dow : dom | dow;
  }

  /**
   * The first matching wall time at or after `from` (wall time as epoch-like ms, whole seconds),
   * or null when none lies within HORIZON_YEARS.
   */
  nextWallTime(from: number): number | null {
    const start = new Date(from);
    let y = start.getUTCFullYear();
    let mo = start.getUTCMonth();
    let d = start.getUTCDate();
    let h = start.getUTCHours();
    let mi = start.getUTCMinutes();
    let s = start.getUTCSeconds();
    const lastYear = y + HORIZON_YEARS;
    for (;;) {
      // Days of this month from d on that match (none when the month itself does not).
      const days = this.months[mo] && d <= 31 ? this.dayMask(y, mo) & ~((1 << d) - 1) : 0;
      if (days === 0) {
        if (++mo === 12) {
          mo = 0;
          if (++y > lastYear) {
            return null;
          }
        }
        d = 1;
        h = mi = s = 0;
        continue;
      }
      const day = 31 - Math.clz32(days & -days);
      if (day !== d) {
        d = day;
        h = mi = s = 0;
      }
      const hh = this.hours[h];
      if (hh < 0) {
        d++;
        h = mi = s = 0;
        continue;
      }
      if (hh !== h) {
        h = hh;
        mi = s = 0;
      }
      const mm = this.minutes[mi];
      if (mm < 0) {
        h++;
        mi = s = 0;
        continue;
      }
      if (mm !== mi) {
        mi = mm;
        s = 0;
      }
      const ss = this.seconds[s];
      if (ss < 0) {
        mi++;
        s = 0;
        continue;
      }
      return Date.UTC(y, mo, d, h, mi, ss);
    }
  }

  /** Whether any day of any year can match (the calendar repeats every 400 years). */
  matchesSomeDay(): boolean {
    for (let y = 2000; y < 2400; y++) {
      for (let m = 0; m < 12; m++) {
        if (this.months[m] && this.computeDayMask(y, m) !== 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The first slot strictly after instant `after` in `zone`, or null when there is none within
   * the horizon. Walks the zone's constant-offset segments from the one holding `after`.
   */
  nextInstant(zone: string, after: number): number | null {
    const limit = after + HORIZON_YEARS * 366 * DAY_MS;
    let seg = zoneSegmentAt(zone, after);
    while (seg.start < limit) {
      const { start, end, offset, prevOffset } = seg;
      if (this.fixedTime && prevOffset < offset && start > after) {
        // Spring-forward at `start`: a fixed time inside the gap fires at the gap's end.
        const gap = this.nextWallTime(start + prevOffset);
        if (gap !== null && gap < start + offset) {
          return start;
        }
      }
      let from = Math.max(
        Math.floor((after + offset) / SECOND_MS) * SECOND_MS + SECOND_MS,
        start + offset,
      );
      if (this.fixedTime && prevOffset > offset) {
        // Fall-back at `start`: wall times up to start + prevOffset already had their turn.
        from = Math.max(from, start + prevOffset);
      }
      const wall = this.nextWallTime(from);
      if (wall === null) {
        return null;
      }
      if (wall < end + offset) {
        return wall - offset;
      }
      // No match in this segment: go to the next one, or, once two days past `after`, straight
      // to three days before the match. A skipped segment cannot hold a slot: its wall times
      // are all at or past `from` (offsets differ by less than two days) and before `wall`.
      const ahead = wall - offset - 3 * DAY_MS;
      seg = zoneSegmentAt(zone, end > after + 2 * DAY_MS && ahead > end ? ahead : end);
    }
    return null;
  }
}

const rules = new Map<string, CronRule>();
const RULE_CACHE_LIMIT = 20_000;

/** The parsed rule for an expression, memoised (parsing costs far more than a next slot). */
export function cronRule(expression: string): CronRule {
  let rule = rules.get(expression);
  if (!rule) {
    rule = CronRule.parse(expression);
    if (rules.size >= RULE_CACHE_LIMIT) {
      rules.clear();
    }
    rules.set(expression, rule);
  }
  return rule;
}
