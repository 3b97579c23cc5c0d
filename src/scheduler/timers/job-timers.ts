import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EventBus } from '../../core/events/event-bus.js';
import { Clock } from '../../core/time/clock.js';
import { SlotHandle, TimerHeap } from './timer-heap.js';

/** Longest single sleep; re-checking now and then makes a wall-clock jump harmless. */
const MAX_SLEEP_MS = 30_000;

/**
 * The armed timers of this replica. SchedulerRegistry stays the registry of record (one timeout
 * entry per active job, named by its id), but each entry is a small SlotHandle and the wake-ups
 * come from one shared min-heap and a single `setTimeout` for its earliest slot: a CronJob per job
 * costs ~3.8 KB of heap and its per-fire overhead misses slots at 100,000 jobs. Everything due at
 * a wake-up is handed over together, so the claim is one statement per window.
 */
@Injectable()
export class JobTimers {
  private readonly heap = new TimerHeap();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private rearmQueued = false;
  private running = false;
  private armedCount = 0;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  start(): void {
    this.running = true;
    this.rearm();
  }

  /** Stops waking up; entries stay registered so status and isScheduled keep answering. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  get count(): number {
    return this.armedCount;
  }

  has(jobId: string): boolean {
    return this.handleOf(jobId) !== undefined;
  }

  /** Arms (or re-arms) the job's entry for `dueAt`; a new handle replaces the old one. */
  arm(jobId: string, dueAt: Date): void {
    const at = dueAt.getTime();
    const current = this.handleOf(jobId);
    if (current && current.dueAt === at && current.index >= 0) {
      return;
    }
    // Re-arming keeps the registered handle (no registry churn per firing): out of the heap,
    // moved to the new slot, pushed back.
    const handle = current ?? new SlotHandle(jobId, at);
    if (current) {
      this.heap.remove(current);
      current.dueAt = at;
    } else {
      this.registry.addTimeout(jobId, handle);
      this.armedCount++;
    }
    this.heap.push(handle);
    if (at < this.timerAt) {
      this.queueRearm();
    }
  }

  disarm(jobId: string): void {
    const current = this.handleOf(jobId);
    if (!current) {
      return;
    }
    this.heap.remove(current);
    // deleteTimeout calls clearTimeout on the handle, a no-op for a plain object.
    this.registry.deleteTimeout(jobId);
    this.armedCount--;
  }

  /** Ids of every armed job (for the full reconcile). */
  armedIds(): string[] {
    return this.registry
      .getTimeouts()
      .filter((name) => this.registry.getTimeout(name) instanceof SlotHandle);
  }

  clear(): void {
    for (const id of this.armedIds()) {
      this.disarm(id);
    }
    this.heap.clear();
  }

  private handleOf(jobId: string): SlotHandle | undefined {
    if (!this.registry.doesExist('timeout', jobId)) {
      return undefined;
    }
    const value: unknown = this.registry.getTimeout(jobId);
    return value instanceof SlotHandle ? value : undefined;
  }

  /** Many arms in one tick (a full reconcile) re-set the timer once. */
  private queueRearm(): void {
    if (this.rearmQueued || !this.running) {
      return;
    }
    this.rearmQueued = true;
    queueMicrotask(() => {
      this.rearmQueued = false;
      this.rearm();
    });
  }

  private rearm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const next = this.heap.peek();
    if (!this.running || !next) {
      return;
    }
    const now = this.clock.nowMs();
    const wait = Math.min(Math.max(next.dueAt - now, 0), MAX_SLEEP_MS);
    this.timerAt = now + wait;
    this.timer = setTimeout(() => this.wake(), wait);
  }

  private wake(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    // The handles leave the heap but stay registered: the job is still scheduled while its
    // claim runs, and the claim re-arms it at the next slot.
    const due = this.heap.popDue(this.clock.nowMs());
    if (due.length > 0) {
      this.events.publish('slots.due', { jobIds: due.map((h) => h.jobId) });
    }
    this.rearm();
  }
}
