/**
 * A time zone's offsets and transitions, read from the runtime's zone data (`Intl`, ICU's copy of
 * the IANA database) and cached per zone and UTC year. Nothing here reads the process clock or
 * the machine's zone: an answer depends only on (zone, instant) and the zone data.
 *
 * Offsets are milliseconds to add to an instant to get its wall time (local = utc + offset).
 */

const DAY_MS = 86_400_000;
const SECOND_MS = 1000;

/** A stretch of time with one offset. `start`/`end` are transitions or cache boundaries. */
export interface ZoneSegment {
  /** First instant of the segment (a transition, or a cache boundary where nothing changes). */
  start: number;
  /** First instant after it. */
  end: number;
  offset: number;
  /** The offset just before `start` (equal to `offset` at a cache boundary). */
  prevOffset: number;
}

/** One UTC year's transitions, in (Jan 1 of the year, Jan 1 of the next] (UTC). */
interface YearTransitions {
  /** Offset at Jan 1 00:00 UTC of the year. */
  startOffset: number;
  at: number[];
  offsets: number[];
}

/** Parses en-US `M/D/YYYY, HH:MM:SS` (h23) into the wall time as epoch-like milliseconds. */
function wallOf(text: string): number {
  let i = 0;
  const num = (): number => {
    let n = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) {
        break;
      }
      n = n * 10 + c - 48;
      i++;
    }
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        break;
      }
      i++;
    }
    return n;
  };
  const month = num();
  const day = num();
  const year = num();
  const hour = num();
  const minute = num();
  const second = num();
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

class ZoneTable {
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, YearTransitions>();

  constructor(zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The offset at a whole-second instant, straight from the zone data. */
  private read(t: number): number {
    return wallOf(this.format.format(t)) - t;
  }

  /**
   * Transitions in (a, b], given the offsets at both ends: halving to the second, then again on
   * the part after the one found (two changes between samples are found when they differ).
   */
  private refine(a: number, oa: number, b: number, ob: number, out: YearTransitions): void {
    let lo = a;
    let hi = b;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
      if (this.read(mid) === oa) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    const oh = this.read(hi);
    out.at.push(hi);
    out.offsets.push(oh);
    if (oh !== ob) {
      this.refine(hi, oh, b, ob, out);
    }
  }

  /** Samples the year daily (no zone changes its offset twice within a day) and refines. */
  private year(y: number): YearTransitions {
    const cached = this.years.get(y);
    if (cached) {
      return cached;
    }
    const from = Date.UTC(y, 0, 1);
    const to = Date.UTC(y + 1, 0, 1);
    const out: YearTransitions = { startOffset: this.read(from), at: [], offsets: [] };
    let prevT = from;
    let prevO = out.startOffset;
    for (let t = from + DAY_MS; prevT < to; t += DAY_MS) {
      const at = Math.min(t, to);
      const o = this.read(at);
      if (o !== prevO) {
        this.refine(prevT, prevO, at, o, out);
      }
      prevT = at;
      prevO = o;
    }
    this.years.set(y, out);
    return out;
  }

  /** The segment holding instant `t`, looking one year back and one ahead for its ends. */
  segmentAt(t: number): ZoneSegment {
    const y = new Date(t).getUTCFullYear();
    const first = this.year(y - 1);
    const seg: ZoneSegment = {
      start: Date.UTC(y - 1, 0, 1),
      end: Date.UTC(y + 2, 0, 1),
      offset: first.startOffset,
      prevOffset: first.startOffset,
    };
    for (let yy = y - 1; yy <= y + 1; yy++) {
      const tr = yy === y - 1 ? first : this.year(yy);
      for (let i = 0; i < tr.at.length; i++) {
        if (tr.at[i] > t) {
          seg.end = tr.at[i];
          return seg;
        }
        seg.prevOffset = seg.offset;
        seg.offset = tr.offsets[i];
        seg.start = tr.at[i];
      }
    }
    return seg;
  }
}

const tables = new Map<string, ZoneTable>();

function tableOf(zone: string): ZoneTable {
  let table = tables.get(zone);
  if (!table) {
    table = new ZoneTable(zone);
    tables.set(zone, table);
  }
  return table;
}

/** Drops every cached table (for a zone data update at run time, and for tests). */
export function forgetZoneData(): void {
  tables.clear();
  knownZones.clear();
}

/** The constant-offset segment that holds instant `t` (ms) in `zone`. */
export function zoneSegmentAt(zone: string, t: number): ZoneSegment {
  return tableOf(zone).segmentAt(Math.floor(t / SECOND_MS) * SECOND_MS);
}

/** Offset (ms, local minus UTC) of `zone` at instant `t`. */
export function zoneOffsetAt(zone: string, t: number): number {
  return zoneSegmentAt(zone, t).offset;
}

/**
 * An IANA zone name the runtime's zone data knows (any case, as Intl accepts it); offsets such
 * as "+05:00" are not zones.
 */
export function isValidTimeZone(zone: string): boolean {
  const key = zone.toLowerCase();
  if (knownZones.has(key)) {
    return true;
  }
  if (zone.length === 0 || zone.length > 64 || /^[+-]/.test(zone)) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(key);
  return true;
}

/**
 * Names that passed isValidTimeZone: building a DateTimeFormat costs ~0.1 ms and a create checks
 * the zone three times. Kept lower-cased (Intl accepts any case), so it is bounded by the zone
 * database (a few hundred names); unknown names are not remembered, so junk cannot grow it.
 */
const knownZones = new Set<string>();

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 local time with its offset, e.g. `2026-11-01T01:30:00.000-05:00`. */
export function localIso(zone: string, at: Date): string {
  const offset = zoneOffsetAt(zone, at.getTime());
  const wall = new Date(at.getTime() + offset).toISOString().slice(0, -1);
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
