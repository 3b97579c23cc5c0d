import { Injectable } from '@nestjs/common';
import { Clock } from '../core/time/clock.js';
import { ActivityRepository } from './activity.repository.js';
import { ActivityWindow } from './activity-window.js';
import type { ActivityQueryDto, ActivityResponseDto } from './dto/activity.dto.js';

/** Firings, failures and firing lag per time bucket (the console's overview charts). */
@Injectable()
export class ActivityService {
  private readonly window: ActivityWindow;

  constructor(
    activity: ActivityRepository,
    private readonly clock: Clock,
  ) {
    this.window = new ActivityWindow(activity);
  }

  /**
   * The window ends at the end of the current bucket (buckets are aligned to whole multiples of
   * their length, so two viewers see the same buckets) and every bucket is listed, empty ones as
   * zeros, so a chart's time axis has no holes.
   */
  async recent(query: ActivityQueryDto): Promise<ActivityResponseDto> {
    const bucketMs = query.bucketMinutes * 60_000;
    const now = this.clock.now();
    const to = new Date(Math.ceil((now.getTime() + 1) / bucketMs) * bucketMs);
    const from = new Date(to.getTime() - query.hours * 3_600_000);
    const buckets = await this.window.read(from, to, bucketMs, now);
    const failingJobs = new Set(buckets.flatMap((b) => b.failingJobIds));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucketSeconds: bucketMs / 1000,
      buckets: buckets.map((b) => ({
        at: new Date(b.at).toISOString(),
        firings: b.firings,
        failures: b.failures,
        lagMsP99: b.lagP99,
      })),
      totals: {
        firings: buckets.reduce((n, b) => n + b.firings, 0),
        failures: buckets.reduce((n, b) => n + b.failures, 0),
        failingJobs: failingJobs.size,
      },
    };
  }
}
