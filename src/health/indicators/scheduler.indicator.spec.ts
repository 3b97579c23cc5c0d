import { describe, expect, it } from '@jest/globals';
import { HealthIndicatorService } from '@nestjs/terminus';
import { loadConfig } from '../../config/app-config.js';
import type { SchedulerPort, SchedulerStatus } from '../../jobs/scheduler.port.js';
import { SchedulerIndicator } from './scheduler.indicator.js';

function port(status: Partial<SchedulerStatus>): SchedulerPort {
  const full: SchedulerStatus = {
    started: true,
    draining: false,
    replicaId: 'r1',
    registeredTimers: 4,
    runningExecutions: 1,
    heartbeatAgeMs: 10,
    listening: true,
    ...status,
  };
  return {
    isScheduled: () => false,
    triggerNow: () => Promise.reject(new Error('unused')),
    replay: () => Promise.reject(new Error('unused')),
    status: () => full,
    pendingRuns: () => Promise.resolve(0),
  };
}

function indicator(enabled: boolean, p: SchedulerPort): SchedulerIndicator {
  const config = loadConfig({ NODE_ENV: 'test', SCHEDULER_ENABLED: String(enabled) });
  return new SchedulerIndicator(new HealthIndicatorService(), config, p);
}

describe(SchedulerIndicator.name, () => {
  it('is up when the scheduler is disabled by configuration', () => {
    const idle = port({ started: false });
    expect(indicator(false, idle).check().scheduler).toMatchObject({
      status: 'up',
      state: 'disabled',
    });
  });

  it('is down while starting and while draining, up while running', () => {
    expect(indicator(true, port({ started: false })).check().scheduler).toMatchObject({
      status: 'down',
      state: 'starting',
    });
    expect(indicator(true, port({ draining: true })).check().scheduler).toMatchObject({
      status: 'down',
      state: 'draining',
    });
    expect(indicator(true, port({})).check().scheduler).toEqual({
      status: 'up',
      state: 'running',
      registeredTimers: 4,
      runningExecutions: 1,
    });
  });
});
