/**
 * A counting semaphore with a FIFO queue. Bounds the attempts calling their targets at once, so a
 * burst of 10,000 same-second runs does not open 10,000 sockets and starve the event loop (and with
 * it the claims of the next slots); the runs beyond the bound wait their turn in claim order.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  get waiting(): number {
    return this.waiters.length - this.head;
  }

  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the slot to the next waiter (the active count stays), or frees it. */
  release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head];
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    this.active--;
  }
}
