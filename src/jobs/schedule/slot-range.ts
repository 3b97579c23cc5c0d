import { MAX_SCAN, isOneShot, nextSlot, slotSkipReason, type Schedule } from './schedule.js';

/**
 * The slots a backfill runs: a walk of the schedule model (nextSlot, slotSkipReason) over a
 * range, as the claim sees them. The preview's walk is slotPlan in schedule.ts.
 */

export interface RangeSlots {
  /** Slots in [from, to] that run, oldest first, at most `limit`. */
  slots: Date[];
  /** More than `limit` slots would run (or the range was too long to walk). */
  truncated: boolean;
}

/**
 * The slots of [from, to] (both included) that the schedule runs: cron slots as they fall, an
 * interval job's every `intervalMs` counted from `from`, a delayed job's runAt if inside.
 * Slots a calendar excludes are left out (they would not have run).
 */
export function slotsInRange(schedule: Schedule, from: Date, to: Date, limit: number): RangeSlots {
  const slots: Date[] = [];
  const end = to.getTime();
  let slot: Date | null = firstInRange(schedule, from);
  let scanned = 0;
  while (slot && slot.getTime() <= end) {
    if (scanned++ >= MAX_SCAN) {
      return { slots, truncated: true };
    }
    if (!slotSkipReason(schedule, slot)) {
      if (slots.length === limit) {
        return { slots, truncated: true };
      }
      slots.push(slot);
    }
    slot = isOneShot(schedule) ? null : nextSlot(schedule, slot);
  }
  return { slots, truncated: false };
}

function firstInRange(schedule: Schedule, from: Date): Date | null {
  switch (schedule.kind) {
    case 'interval':
      return from;
    case 'at':
      return schedule.at.getTime() >= from.getTime() ? schedule.at : null;
    case 'cron':
      return nextSlot(schedule, new Date(from.getTime() - 1));
    case 'immediate':
    case 'none':
      return null;
  }
}
