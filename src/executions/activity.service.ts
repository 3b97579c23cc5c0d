import { Injectable } from '@nestjs/common';
import { Clock } from '../core/time/clock.js';
import { ActivityRepository } from './activity.repository.js';
import type { ActivityQueryDto, ActivityResponseDto } from './dto/activity.dto.js';

/** Firings, failures and firing lag per time bucket (the console's overview charts). */
@Injectable()
export class ActivityService {
  constructor(
    private readonly activity: ActivityRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The window ends at the end of the current bucket (buckets are aligned to whole multiples of
   * their length, so two viewers see the same buckets) and every bucket is listed, empty ones as
   * zeros, so a chart's time axis has no holes.
   */
  async recent(query: ActivityQueryDto): Promise<ActivityResponseDto> {
    const bucketMs = query.bucketMinutes * 60_000;
    const to = new Date(Math.ceil((this.clock.now().getTime() + 1) / bucketMs) * bucketMs);
    const from = new Date(to.getTime() - query.hours * 3_600_000);
    const [rows, failingJobs] = await Promise.all([
      this.activity.buckets(from, to, bucketMs / 1000),
      this.activity.failingJobs(from, to),
    ]);
    const byStart = new Map(rows.map((r) => [r.bucket.getTime(), r]));
    const buckets: ActivityResponseDto['buckets'] = [];
    for (let at = from.getTime(); at < to.getTime(); at += bucketMs) {
      const row = byStart.get(at);
      buckets.push({
        at: new Date(at).toISOString(),
        firings: row?.firings ?? 0,
        failures: row?.failures ?? 0,
        lagMsP99: row?.lagP99 ?? null,
      });
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucketSeconds: bucketMs / 1000,
      buckets,
      totals: {
        firings: rows.reduce((n, r) => n + r.firings, 0),
        failures: rows.reduce((n, r) => n + r.failures, 0),
        failingJobs,
      },
    };
  }
}
