import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { countOrNull } from '../core/database/pg-query.js';
import { Clock } from '../core/time/clock.js';

/** Active-job counts change slowly and scrapes/probes are frequent: one count per window. */
const ACTIVE_JOBS_TTL_MS = 5000;

/**
 * The read model JobsModule publishes for observability (metrics, /health, /api/stats/system):
 * cheap counts over `jobs`. Every method answers null instead of throwing when the database is
 * unreachable: observability must not fail with it.
 */
@Injectable()
export class JobCountsRepository {
  private activeCache: { value: number; until: number } | null = null;
  private inflight: Promise<number | null> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Count of active jobs, cached a few seconds; concurrent callers share one query. */
  activeJobs(): Promise<number | null> {
    if (this.activeCache && this.activeCache.until > this.clock.nowMs()) {
      return Promise.resolve(this.activeCache.value);
    }
    this.inflight ??= this.countActive().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Active jobs whose next slot is already due (not yet claimed by any replica). */
  dueNow(): Promise<number | null> {
    return countOrNull(
      this.dataSource,
      'SELECT count(*)::int AS n FROM jobs WHERE is_active AND next_run_at <= now()',
    );
  }

  private async countActive(): Promise<number | null> {
    const value = await countOrNull(
      this.dataSource,
      'SELECT count(*)::int AS n FROM jobs WHERE is_active',
    );
    if (value !== null) {
      this.activeCache = { value, until: this.clock.nowMs() + ACTIVE_JOBS_TTL_MS };
    }
    return value ?? this.activeCache?.value ?? null;
  }
}
