import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import {
  SCHEDULER_PORT,
  type SchedulerPort,
  type SchedulerStatus,
} from '../../jobs/scheduler.port.js';

/** `disabled`: SCHEDULER_ENABLED=false (an API-only replica). */
export type SchedulerState = 'disabled' | 'starting' | 'running' | 'draining';

export interface SchedulerView {
  state: SchedulerState;
  status: SchedulerStatus | null;
}

/**
 * The scheduler is healthy when it is running, or deliberately disabled. An API-only replica
 * (SCHEDULER_ENABLED=false) must stay ready; an enabled one that has not finished its boot
 * reconcile, or is draining after SIGTERM, must not receive traffic.
 */
@Injectable()
export class SchedulerIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SCHEDULER_PORT) private readonly port: SchedulerPort,
  ) {}

  view(): SchedulerView {
    if (!this.config.scheduler.enabled) {
      return { state: 'disabled', status: this.port.status() };
    }
    const status = this.port.status();
    const state = status.draining ? 'draining' : status.started ? 'running' : 'starting';
    return { state, status };
  }

  check(key = 'scheduler'): HealthIndicatorResult {
    const session = this.health.check(key);
    const { state, status } = this.view();
    const data = {
      state,
      registeredTimers: status?.registeredTimers ?? 0,
      runningExecutions: status?.runningExecutions ?? 0,
    };
    return state === 'running' || state === 'disabled' ? session.up(data) : session.down(data);
  }
}
