/** Times in the console: every instant is shown in the job's zone and in the viewer's. */

export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "1 Dec 2026, 21:04:05 GMT+5:30" in the given IANA zone. */
export function formatIn(iso: string | null | undefined, zone: string): string {
  if (!iso) {
    return '—';
  }
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      timeStyle: 'long',
      timeZone: zone,
    });
    formatters.set(zone, f);
  }
  return f.format(new Date(iso));
}

/** The UTC offset at the end of an ISO string with offset ("…T03:00:00.000-04:00" -> "-04:00"). */
export function offsetOf(local: string): string {
  const m = /([+-]\d{2}:\d{2}|Z)$/.exec(local);
  return m ? (m[1] === 'Z' ? '+00:00' : m[1]) : '';
}

export type DstMark = 'forward' | 'back' | null;

export interface MarkedSlot {
  at: string;
  local: string;
  offset: string;
  /** Set on the first slot after the zone's offset changed (a DST transition). */
  dst: DstMark;
}

const minutes = (offset: string): number => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

/** Marks the slots where the job's zone moved its clocks since the slot before. */
export function markDst(slots: { at: string; local: string }[]): MarkedSlot[] {
  let previous: string | undefined;
  return slots.map((slot) => {
    const offset = offsetOf(slot.local);
    let dst: DstMark = null;
    if (previous !== undefined && offset !== previous) {
      dst = minutes(offset) > minutes(previous) ? 'forward' : 'back';
    }
    previous = offset;
    return { ...slot, offset, dst };
  });
}

/** 950 -> "950 ms", 61000 -> "1 min 1 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  }
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
