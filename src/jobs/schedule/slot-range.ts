import {
  MAX_SCAN,
  firstSlot,
  isOneShot,
  nextSlot,
  slotSkipReason,
  type Schedule,
  type SlotSkipReason,
} from './schedule.js';

/**
 * Walks of the schedule model that skip excluded slots: the fire times a preview shows and the
 * slots a backfill runs. Both come from nextSlot/firstSlot and slotSkipReason, like the claim.
 */

export interface WalkedSlot {
  at: Date;
  /** Set when the slot is not run, with the reason. */
  skipped?: SlotSkipReason;
}

/**
 * The next `count` slots that run, from `from` (as previewSlots), with the skipped ones between
 * them when `includeSkipped` (they do not count toward `count`).
 */
export function upcomingSlots(
  schedule: Schedule,
  from: Date,
  count: number,
  includeSkipped = false,
): WalkedSlot[] {
  const out: WalkedSlot[] = [];
  let runs = 0;
  let slot = firstSlot(schedule, from);
  for (let scanned = 0; slot && runs < count && scanned < MAX_SCAN; scanned++) {
    const skipped = slotSkipReason(schedule, slot);
    if (!skipped) {
      runs++;
      out.push({ at: slot });
    } else if (includeSkipped) {
      out.push({ at: slot, skipped });
    }
    if (isOneShot(schedule)) {
      break;
    }
    slot = nextSlot(schedule, slot);
  }
  return out;
}

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
