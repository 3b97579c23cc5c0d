import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import {
  SCHEDULER_PORT,
  type ManualTriggerResult,
  type ReplayResult,
  type SchedulerPort,
  type SchedulerStatus,
} from '../../src/jobs/scheduler.port.js';

/** A scheduler port whose status a test sets by hand (health, metrics gauges). */
export class FakeSchedulerPort implements SchedulerPort {
  current: SchedulerStatus = {
    started: true,
    draining: false,
    replicaId: 'fake-replica',
    registeredTimers: 0,
    runningExecutions: 0,
    heartbeatAgeMs: null,
    listening: true,
  };

  isScheduled(): boolean {
    return false;
  }

  triggerNow(): Promise<ManualTriggerResult> {
    return Promise.reject(new Error('FakeSchedulerPort cannot trigger'));
  }

  replay(): Promise<ReplayResult> {
    return Promise.reject(new Error('FakeSchedulerPort cannot replay'));
  }

  status(): SchedulerStatus {
    return { ...this.current };
  }

  pendingRuns(): Promise<number | null> {
    return Promise.resolve(0);
  }
}

@Global()
@Module({})
class FakeSchedulerHostModule {}

/**
 * createTestApp options that put `fake` behind SCHEDULER_PORT: provided by a global module
 * where no SchedulerModule exists, and overriding the real one where it does.
 */
export function withFakeScheduler(fake: FakeSchedulerPort): {
  imports: DynamicModule[];
  override: (b: TestingModuleBuilder) => TestingModuleBuilder;
} {
  return {
    imports: [
      {
        module: FakeSchedulerHostModule,
        global: true,
        providers: [{ provide: SCHEDULER_PORT, useValue: fake }],
        exports: [SCHEDULER_PORT],
      },
    ],
    override: (b) => b.overrideProvider(SCHEDULER_PORT).useValue(fake),
  };
}
