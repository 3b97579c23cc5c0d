import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Upkeep that runs once at start and then every `everyMs` (purges, partitions). The timer never
 * keeps the process alive, and shutdown waits for a round in progress.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;

  protected constructor(private readonly everyMs: number) {}

  abstract run(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  private tick(): void {
    this.current ??= this.run().finally(() => (this.current = undefined));
  }
}
