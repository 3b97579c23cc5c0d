import type { Schemas } from '../../api/client';
import { markDst, type DstMark } from '../../lib/time';

export type PreviewSlot = Schemas['PreviewSlotDto'];
export type Calendar = Pick<
  Schemas['CalendarResponseDto'],
  'id' | 'name' | 'timezone' | 'dates' | 'ranges'
>;

/** A slot of a preview with what the console says about it. */
export interface SlotView {
  at: string;
  local: string;
  /** When jitter moves the firing: the nominal slot. */
  nominal?: string;
  /** Set on a slot that does not fire: why. */
  skipped?: PreviewSlot['skipped'];
  /** Badges, in order: "skipped: calendar Holidays", "DST: clocks forward (+02:00)", ... */
  marks: SlotMark[];
}

export interface SlotMark {
  label: string;
  color: string;
  /** A longer explanation (the badge's title). */
  hint: string;
}

const localDates = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of an instant in `zone` (how a calendar's dates are read). */
export function localDate(iso: string, zone: string): string {
  let f = localDates.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    localDates.set(zone, f);
  }
  return f.format(new Date(iso));
}

/** The calendars (of those the job excludes) that cover `iso`: a listed local date or a range [from, to). */
export function calendarsCovering(iso: string, calendars: readonly Calendar[]): Calendar[] {
  const t = new Date(iso).getTime();
  return calendars.filter(
    (c) =>
      c.ranges.some((r) => new Date(r.from).getTime() <= t && t < new Date(r.to).getTime()) ||
      c.dates.includes(localDate(iso, c.timezone)),
  );
}

/** "02:30:00" of an ISO string with offset (the wall-clock time in the job's zone). */
const wallTime = (local: string): string => local.slice(11, 19);

/**
 * Whether the slot sits on a spring-forward instant at a wall time its neighbours do not use:
 * a fixed-time rule ("30 2 * * *") whose time fell in the gap fires at the gap's end (README,
 * "Time zones and DST"), so the slot before and after share a wall time this one lacks.
 */
function shiftedByDst(slots: readonly { local: string }[], i: number, dst: DstMark): boolean {
  const before = slots[i - 1];
  const after = slots[i + 1];
  if (dst !== 'forward' || !before || !after) {
    return false;
  }
  const same = wallTime(before.local);
  return same === wallTime(after.local) && same !== wallTime(slots[i].local);
}

const REASONS: Record<'window' | 'pause', { label: string; hint: string }> = {
  window: { label: 'skipped: outside window', hint: 'Before startAt or after endAt' },
  pause: { label: 'skipped: paused', hint: 'The job is paused at this time' },
};

/**
 * The marks of a preview (GET /api/jobs/{id}/preview?includeSkipped=true, POST
 * /api/jobs/preview): slots the rule has but will not fire (calendar, window, pause), with the
 * calendar's name where one of the job's calendars covers it, and DST changes of the job's zone.
 * DST is judged among the slots that fire (skipped ones do not move the clock reading).
 */
export function slotViews(
  slots: readonly PreviewSlot[],
  calendars: readonly Calendar[],
): SlotView[] {
  const firing = slots.filter((s) => !s.skipped);
  const dst = new Map(
    markDst(firing).map((m, i) => [
      m.at,
      { dst: m.dst, offset: m.offset, shifted: shiftedByDst(firing, i, m.dst) },
    ]),
  );
  return slots.map((slot) => {
    const marks: SlotMark[] = [];
    if (slot.skipped === 'calendar') {
      const names = calendarsCovering(slot.nominal ?? slot.at, calendars).map((c) => c.name);
      marks.push({
        label: `skipped: calendar ${names.length > 0 ? names.join(', ') : ''}`.trim(),
        color: 'orange',
        hint: 'An excluded calendar covers this slot: it is counted as skipped, not run',
      });
    } else if (slot.skipped) {
      marks.push({ ...REASONS[slot.skipped], color: 'gray' });
    }
    const d = dst.get(slot.at);
    if (d?.dst) {
      marks.push({
        label: `DST: clocks ${d.dst === 'forward' ? 'forward' : 'back'} (${d.offset})`,
        color: 'grape',
        hint: `The zone's UTC offset changed to ${d.offset} since the slot before`,
      });
    }
    if (d?.shifted) {
      marks.push({
        label: 'DST: shifted',
        color: 'grape',
        hint: 'Its wall time does not exist on this day (clocks went forward): it fires at the end of the gap',
      });
    }
    if (slot.nominal) {
      marks.push({
        label: 'jitter',
        color: 'indigo',
        hint: `Nominal slot ${slot.nominal}; fires later by the job's jitter`,
      });
    }
    return { at: slot.at, local: slot.local, nominal: slot.nominal, skipped: slot.skipped, marks };
  });
}
