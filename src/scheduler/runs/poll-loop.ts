/**
 * The loop of a claimer that polls the database (pending runs, backfills): `round` runs every
 * `everyMs` and whenever asked, one round at a time; a request arriving during a round makes it
 * go round once more, so nothing asked for is missed and rounds never overlap.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private again = false;
  private on = false;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  get running(): boolean {
    return this.on;
  }

  start(): void {
    this.on = true;
    this.timer = setInterval(() => this.poll(), this.everyMs);
    this.poll();
  }

  /** Stops polling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.on = false;
    clearInterval(this.timer);
    await this.busy;
  }

  poll(): void {
    if (!this.on) {
      return;
    }
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.round().finally(() => {
      this.busy = undefined;
      if (this.again) {
        this.again = false;
        this.poll();
      }
    });
  }
}
