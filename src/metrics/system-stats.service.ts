import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import {
  SCHEDULER_PORT,
  schedulerRunning,
  type SchedulerPort,
  type SchedulerStatus,
} from '../jobs/scheduler.port.js';
import { MetricsService } from './metrics.service.js';
import { JobCountsRepository } from '../jobs/job-counts.repository.js';

/** The original's `data.system`, which its clients read. */
export interface ProcessFigures {
  /** Seconds since this process started. */
  uptime: number;
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number };
  platform: string;
  nodeVersion: string;
  environment: AppConfig['env'];
  pid: number;
}

export interface SystemStats {
  system: ProcessFigures;
  /** The same figures flat, as this service answered before `system` was added. */
  uptime: number;
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number };
  platform: string;
  nodeVersion: string;
  pid: number;
  scheduler: { enabled: boolean; isRunning: boolean; replicaId: string } & Partial<SchedulerStatus>;
  /** Over the last firings of scheduled slots held by this replica; null before any. */
  firingLag: { samples: number; p50Ms: number | null; p99Ms: number | null };
  queue: {
    activeJobs: number | null;
    /** Active jobs whose next slot is already due (not yet claimed by any replica). */
    dueNow: number | null;
    /** Runs waiting in the durable queue (retries, recovery re-runs, catch-ups). */
    pendingRetries: number | null;
  };
}

/**
 * The original `/api/stats/system` figures (`system`, `scheduler`), plus firing lag and queue
 * depth.
 */
@Injectable()
export class SystemStatsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly jobCounts: JobCountsRepository,
    @Inject(SCHEDULER_PORT) private readonly scheduler: SchedulerPort,
  ) {}

  async stats(): Promise<SystemStats> {
    const [activeJobs, dueNow, pendingRetries] = await Promise.all([
      this.jobCounts.activeJobs(),
      this.jobCounts.dueNow(),
      this.scheduler.pendingRuns(),
    ]);
    const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
    const lag = this.metrics.lagReservoir;
    const system: ProcessFigures = {
      uptime: Math.round(process.uptime()),
      memory: { rss, heapTotal, heapUsed, external },
      platform: process.platform,
      nodeVersion: process.version,
      environment: this.config.env,
      pid: process.pid,
    };
    const status = this.scheduler.status();
    return {
      system,
      uptime: system.uptime,
      memory: system.memory,
      platform: system.platform,
      nodeVersion: system.nodeVersion,
      pid: system.pid,
      scheduler: {
        enabled: this.config.scheduler.enabled,
        isRunning: schedulerRunning(this.config.scheduler.enabled, () => status),
        ...status,
      },
      firingLag: { samples: lag.count, p50Ms: lag.percentile(50), p99Ms: lag.percentile(99) },
      queue: { activeJobs, dueNow, pendingRetries },
    };
  }
}
