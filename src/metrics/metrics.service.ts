import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppEvents } from '../core/events/app-events.js';
import { EventBus } from '../core/events/event-bus.js';
import { SCHEDULER_PORT, type SchedulerPort } from '../jobs/scheduler.port.js';
import { LagReservoir } from './lag-reservoir.js';
import { JobCountsRepository } from '../jobs/job-counts.repository.js';

/** 1 ms … 60 s: a healthy scheduler fires within milliseconds; a minute late is an incident. */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Up to the longest allowed attempt (timeoutMs <= 300000). */
const DURATION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of one application instance. The registry is per instance (not prom-client's
 * global one) so several apps in one process — replicas in a test — keep separate figures.
 * Counters move on EventBus events published by the scheduler after commit.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  /** Recent firing lags of scheduled slots (ms), for exact percentiles in the system stats. */
  readonly lagReservoir = new LagReservoir();
  private readonly unsubscribe: (() => void)[] = [];

  private readonly firings = new Counter({
    name: 'scheduler_firings_total',
    help: 'Runs started by this replica, by trigger (schedule, manual, retry, recovery, backfill)',
    labelNames: ['trigger'] as const,
    registers: [this.registry],
  });
  private readonly skipped = new Counter({
    name: 'scheduler_skipped_firings_total',
    help: 'Due slots not run, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'scheduler_firing_lag_seconds',
    help: 'Actual start minus scheduled time of a run, by trigger',
    labelNames: ['trigger'] as const,
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'scheduler_execution_duration_seconds',
    help: 'Duration of finished execution attempts, by status and target type',
    labelNames: ['status', 'target_type'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly executions = new Counter({
    name: 'scheduler_executions_total',
    help: 'Finished execution attempts, by status and target type',
    labelNames: ['status', 'target_type'] as const,
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'scheduler_retries_total',
    help: 'Retries scheduled after a failed or timed-out attempt',
    registers: [this.registry],
  });
  private readonly notificationsSent = new Counter({
    name: 'scheduler_notifications_sent_total',
    help: 'Notification attempts a channel accepted (2xx), by channel type and event',
    labelNames: ['channel_type', 'event'] as const,
    registers: [this.registry],
  });
  private readonly notificationsFailed = new Counter({
    name: 'scheduler_notifications_failed_total',
    help: 'Notification attempts that failed (retried until the limit), by channel type and event',
    labelNames: ['channel_type', 'event'] as const,
    registers: [this.registry],
  });
  private readonly autoPaused = new Counter({
    name: 'scheduler_jobs_auto_paused_total',
    help: 'Jobs paused by autoPauseAfterFailures (by the replica that recorded the failure)',
    registers: [this.registry],
  });
  private readonly http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  constructor(
    private readonly bus: EventBus,
    private readonly jobCounts: JobCountsRepository,
    @Inject(SCHEDULER_PORT) private readonly scheduler: SchedulerPort,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.registerGauges();
  }

  onModuleInit(): void {
    this.unsubscribe.push(
      this.bus.subscribe('slot.fired', (e) => this.onFired(e)),
      this.bus.subscribe('slot.skipped', (e) => this.skipped.inc({ reason: e.reason })),
      this.bus.subscribe('execution.finished', (e) => this.onFinished(e)),
      this.bus.subscribe('retry.scheduled', () => this.retries.inc()),
      this.bus.subscribe('job.auto_paused', () => this.autoPaused.inc()),
      this.bus.subscribe('notification.attempted', (e) =>
        (e.delivered ? this.notificationsSent : this.notificationsFailed).inc({
          channel_type: e.channelType,
          event: e.event,
        }),
      ),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.splice(0).forEach((off) => off());
  }

  /** Prometheus text exposition of everything in this app's registry. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  private onFired(e: AppEvents['slot.fired']): void {
    this.firings.inc({ trigger: e.trigger });
    // A timer may wake a hair early; a negative lag is clock noise, not "ahead of schedule".
    // Jitter is planned, not lag: a jittered slot's lag counts from its firing instant.
    const lagMs = Math.max(0, e.startedAt.getTime() - (e.dueAt ?? e.scheduledFor).getTime());
    this.lag.observe({ trigger: e.trigger }, lagMs / 1000);
    if (e.trigger === 'schedule') {
      this.lagReservoir.add(lagMs);
    }
  }

  private onFinished(e: AppEvents['execution.finished']): void {
    const labels = { status: e.status, target_type: e.targetType };
    this.executions.inc(labels);
    this.duration.observe(labels, e.durationMs / 1000);
  }

  /** Gauges read their value at scrape time: no timers, nothing stale between scrapes. */
  private registerGauges(): void {
    const status = (): ReturnType<SchedulerPort['status']> => this.scheduler.status();
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    };
    // Without a running scheduler there are no timers, runs or LISTEN connection: 0 is true.
    gauge('scheduler_registered_timers', 'Job timers armed in this replica', () => {
      return status()?.registeredTimers ?? 0;
    });
    gauge('scheduler_running_executions', 'Executions running in this replica', () => {
      return status()?.runningExecutions ?? 0;
    });
    gauge('scheduler_listen_connected', '1 while the LISTEN job_changed connection is up', () => {
      return Number(status()?.listening ?? false);
    });
    // NaN (not 0) before the first heartbeat, so "fresh" and "unknown" never look alike.
    gauge('scheduler_heartbeat_age_seconds', 'Seconds since this replica last heartbeated', () => {
      const age = status()?.heartbeatAgeMs;
      return age === null || age === undefined ? Number.NaN : age / 1000;
    });
    const jobCounts = this.jobCounts;
    new Gauge({
      name: 'scheduler_active_jobs',
      help: 'Active jobs in the database (cached a few seconds)',
      registers: [this.registry],
      async collect() {
        const n = await jobCounts.activeJobs();
        if (n !== null) {
          this.set(n);
        }
      },
    });
  }
}
