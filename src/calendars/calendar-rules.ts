import { zoneOffsetAt } from '../core/time/zone.js';

/**
 * A calendar compiled for the question the scheduler asks of every slot: "is this instant
 * excluded?". Pure; no clock, no database.
 *
 * - `dates` are local dates in the calendar's zone: an instant is excluded when its wall-clock
 *   date there is one of them, so each date excludes the whole local day, however long it is
 *   (23 h on a spring-forward day, 25 h on a fall-back day).
 * - `ranges` are instants, half-open: `from` is excluded, `to` is not.
 */
export interface CalendarRule {
  id: string;
  timezone: string;
  /** Local dates, `YYYY-MM-DD`. */
  dates: ReadonlySet<string>;
  /** [from, to) in epoch milliseconds, sorted by `from`. */
  ranges: readonly { from: number; to: number }[];
}

export interface CalendarData {
  id: string;
  timezone: string;
  dates: readonly string[];
  ranges: readonly { from: Date; to: Date }[];
}

/** Looks a calendar up by id (the scheduler's cache, or calendars read for one request). */
export type CalendarLookup = (id: string) => CalendarRule | undefined;

export function compileCalendar(c: CalendarData): CalendarRule {
  return {
    id: c.id,
    timezone: c.timezone,
    dates: new Set(c.dates),
    ranges: c.ranges
      .map((r) => ({ from: r.from.getTime(), to: r.to.getTime() }))
      .sort((a, b) => a.from - b.from),
  };
}

/** The wall-clock date (`YYYY-MM-DD`) of instant `t` in `zone`. */
export function localDateOf(zone: string, t: number): string {
  return new Date(t + zoneOffsetAt(zone, t)).toISOString().slice(0, 10);
}

export function calendarExcludes(rule: CalendarRule, at: Date): boolean {
  const t = at.getTime();
  for (const r of rule.ranges) {
    if (r.from > t) {
      break;
    }
    if (t < r.to) {
      return true;
    }
  }
  return rule.dates.size > 0 && rule.dates.has(localDateOf(rule.timezone, t));
}

/** The calendars of `ids` known to `lookup` (an unknown id excludes nothing). */
export function rulesOf(
  ids: readonly string[] | null | undefined,
  lookup?: CalendarLookup,
): CalendarRule[] {
  if (!ids || ids.length === 0 || !lookup) {
    return [];
  }
  return ids.map(lookup).filter((r): r is CalendarRule => r !== undefined);
}

/** A lookup over calendars already in hand. */
export function lookupOf(calendars: readonly CalendarData[]): CalendarLookup {
  const byId = new Map(calendars.map((c) => [c.id, compileCalendar(c)]));
  return (id) => byId.get(id);
}
