import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../core/time/clock.js';

/** Active-job counts change slowly and scrapes/probes are frequent: one count per window. */
const ACTIVE_JOBS_TTL_MS = 5000;

export interface QueueFigures {
  /** Active jobs whose next slot is already due (not yet claimed by any replica). */
  dueNow: number | null;
  /** Retries waiting for their time; null when this schema has no retry table. */
  pendingRetries: number | null;
}

/**
 * Cheap counts for metrics, /health and /api/stats/system. Every method answers null instead
 * of throwing when the database is unreachable: observability must not fail with it.
 */
@Injectable()
export class QueueStatsRepository {
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

  async figures(): Promise<QueueFigures> {
    const [dueNow, pendingRetries] = await Promise.all([this.dueNow(), this.pendingRetries()]);
    return { dueNow, pendingRetries };
  }

  private async countActive(): Promise<number | null> {
    const value = await this.count('SELECT count(*)::int AS n FROM jobs WHERE is_active');
    if (value !== null) {
      this.activeCache = { value, until: this.clock.nowMs() + ACTIVE_JOBS_TTL_MS };
    }
    return value ?? this.activeCache?.value ?? null;
  }

  private dueNow(): Promise<number | null> {
    return this.count(
      'SELECT count(*)::int AS n FROM jobs WHERE is_active AND next_run_at <= now()',
    );
  }

  /** Durable pending runs (retries, recovery re-runs, fire_all catch-ups) waiting to be claimed. */
  private pendingRetries(): Promise<number | null> {
    return this.count('SELECT count(*)::int AS n FROM job_pending_runs');
  }

  private async count(sql: string): Promise<number | null> {
    try {
      const rows: { n: number }[] = await this.dataSource.query(sql);
      return rows[0]?.n ?? 0;
    } catch {
      return null;
    }
  }
}
