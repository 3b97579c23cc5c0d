/**
 * One armed slot: the per-job handle stored in SchedulerRegistry. Kept to three fields because
 * 100,000 of them live on the heap at once (a `cron` CronJob per job costs ~3.8 KB).
 */
export class SlotHandle {
  /** Position in the heap array; -1 once removed. */
  index = -1;
  constructor(
    readonly jobId: string,
    /** Changed only by JobTimers while the handle is out of the heap. */
    public dueAt: number,
  ) {}
}

/**
 * Binary min-heap of slot handles ordered by due time, with O(log n) removal by handle. It holds
 * no timers itself: the owner arms one `setTimeout` for `peek()`.
 */
export class TimerHeap {
  private readonly items: SlotHandle[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): SlotHandle | undefined {
    return this.items[0];
  }

  push(handle: SlotHandle): void {
    handle.index = this.items.length;
    this.items.push(handle);
    this.up(handle.index);
  }

  remove(handle: SlotHandle): void {
    const i = handle.index;
    if (i < 0 || this.items[i] !== handle) {
      return;
    }
    const last = this.items.pop() as SlotHandle;
    handle.index = -1;
    if (last !== handle) {
      this.items[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
  }

  /** Removes and returns every handle due at or before `until`, earliest first. */
  popDue(until: number): SlotHandle[] {
    const out: SlotHandle[] = [];
    let top = this.items[0];
    while (top && top.dueAt <= until) {
      this.remove(top);
      out.push(top);
      top = this.items[0];
    }
    return out;
  }

  clear(): void {
    for (const h of this.items) {
      h.index = -1;
    }
    this.items.length = 0;
  }

  private up(i: number): void {
    const items = this.items;
    const h = items[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].dueAt <= h.dueAt) {
        break;
      }
      items[i] = items[parent];
      items[i].index = i;
      i = parent;
    }
    items[i] = h;
    h.index = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const h = items[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && items[child + 1].dueAt < items[child].dueAt) {
        child++;
      }
      if (items[child].dueAt >= h.dueAt) {
        break;
      }
      items[i] = items[child];
      items[i].index = i;
      i = child;
    }
    items[i] = h;
    h.index = i;
  }
}
