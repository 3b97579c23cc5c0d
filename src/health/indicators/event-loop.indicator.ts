import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * A loop stalled this long between two liveness probes means the process is wedged (a hot loop,
 * a synchronous catastrophe), not merely busy: long enough that a GC pause or a burst of work
 * never restarts a healthy pod.
 */
export const EVENT_LOOP_MAX_DELAY_MS = 5000;

/** Liveness looks only at this process: the database being down must never restart a pod. */
@Injectable()
export class EventLoopIndicator implements OnModuleInit, OnModuleDestroy {
  private histogram: ReturnType<typeof monitorEventLoopDelay> | null = null;

  constructor(private readonly health: HealthIndicatorService) {}

  onModuleInit(): void {
    this.histogram = monitorEventLoopDelay({ resolution: 20 });
    this.histogram.enable();
  }

  onModuleDestroy(): void {
    this.histogram?.disable();
  }

  /** Worst loop delay since the previous probe; the window restarts at every probe. */
  check(key = 'eventLoop'): HealthIndicatorResult {
    const session = this.health.check(key);
    const h = this.histogram;
    const maxDelayMs = h && h.count > 0 ? Math.round(h.max / 1e6) : 0;
    const p99DelayMs = h && h.count > 0 ? Math.round(h.percentile(99) / 1e6) : 0;
    h?.reset();
    const data = { maxDelayMs, p99DelayMs };
    return maxDelayMs > EVENT_LOOP_MAX_DELAY_MS ? session.down(data) : session.up(data);
  }
}
