import { HttpStatus, Injectable, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Clock } from '../core/time/clock.js';
import { JobCountsRepository } from '../jobs/job-counts.repository.js';
import { DatabaseIndicator } from './indicators/database.indicator.js';
import { EventLoopIndicator } from './indicators/event-loop.indicator.js';
import { MigrationsIndicator } from './indicators/migrations.indicator.js';
import { SchedulerIndicator, type SchedulerState } from './indicators/scheduler.indicator.js';
import { LifecycleService } from './lifecycle.service.js';

export interface ProbeAnswer<T> {
  httpStatus: HttpStatus;
  body: T;
}

/** The original service's `/health` body. */
export interface LegacyHealth {
  status: 'healthy' | 'degraded';
  timestamp: string;
  uptime: number;
  services: {
    database: { status: 'up' | 'down'; latency: number };
    scheduler: { status: SchedulerState; activeJobs: number | null; runningExecutions: number };
  };
  memory: { rss: number; heapTotal: number; heapUsed: number };
}

@Injectable()
export class HealthService {
  constructor(
    private readonly checks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: LifecycleService,
    private readonly database: DatabaseIndicator,
    private readonly migrations: MigrationsIndicator,
    private readonly scheduler: SchedulerIndicator,
    private readonly eventLoop: EventLoopIndicator,
    private readonly jobCounts: JobCountsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Liveness: this process and its event loop only. Not run through terminus, which answers
   * 503 to every check once shutdown begins: a draining pod must not look dead to the kubelet.
   */
  live(): ProbeAnswer<HealthCheckResult> {
    const result = this.eventLoop.check();
    const up = result.eventLoop.status === 'up';
    return {
      httpStatus: up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        status: up ? 'ok' : 'error',
        info: up ? result : {},
        error: up ? {} : result,
        details: result,
      },
    };
  }

  /** Readiness: running (not starting, not shutting down), database, schema, scheduler. */
  ready(): Promise<ProbeAnswer<HealthCheckResult>> {
    return this.run([
      () => this.lifecycleCheck(),
      () => this.database.check(),
      () => this.migrations.check(),
      () => this.scheduler.check(),
    ]);
  }

  async legacy(): Promise<ProbeAnswer<LegacyHealth>> {
    const [db, activeJobs] = await Promise.all([
      this.database.check(),
      this.jobCounts.activeJobs(),
    ]);
    const { state, status } = this.scheduler.view();
    const dbUp = db.database.status === 'up';
    const schedulerUp = state === 'running' || state === 'disabled';
    const healthy = dbUp && schedulerUp;
    const { rss, heapTotal, heapUsed } = process.memoryUsage();
    return {
      httpStatus: healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        status: healthy ? 'healthy' : 'degraded',
        timestamp: this.clock.now().toISOString(),
        uptime: Math.round(process.uptime()),
        services: {
          database: { status: dbUp ? 'up' : 'down', latency: Number(db.database.latency) },
          scheduler: {
            status: state,
            activeJobs,
            runningExecutions: status?.runningExecutions ?? 0,
          },
        },
        memory: { rss, heapTotal, heapUsed },
      },
    };
  }

  private lifecycleCheck(): HealthIndicatorResult {
    const phase = this.lifecycle.phase;
    const session = this.indicators.check('lifecycle');
    return phase === 'running' ? session.up({ phase }) : session.down({ phase });
  }

  /** Terminus throws 503 with the result as body; the probe answers it as is, not enveloped. */
  private async run(
    fns: (() => HealthIndicatorResult | Promise<HealthIndicatorResult>)[],
  ): Promise<ProbeAnswer<HealthCheckResult>> {
    try {
      return { httpStatus: HttpStatus.OK, body: await this.checks.check(fns) };
    } catch (e) {
      if (e instanceof ServiceUnavailableException) {
        return {
          httpStatus: HttpStatus.SERVICE_UNAVAILABLE,
          body: e.getResponse() as HealthCheckResult,
        };
      }
      throw e;
    }
  }
}
