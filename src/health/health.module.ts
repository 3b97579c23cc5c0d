import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { JobsModule } from '../jobs/jobs.module.js';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { DatabaseIndicator } from './indicators/database.indicator.js';
import { EventLoopIndicator } from './indicators/event-loop.indicator.js';
import { MigrationsIndicator } from './indicators/migrations.indicator.js';
import { SchedulerIndicator } from './indicators/scheduler.indicator.js';
import { LifecycleService } from './lifecycle.service.js';

/**
 * Kubernetes probes. Terminus' own logger is off: probes arrive every few seconds from every
 * kubelet, and a failing dependency is reported by the component that owns it, not per probe.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), JobsModule],
  controllers: [HealthController],
  providers: [
    LifecycleService,
    HealthService,
    DatabaseIndicator,
    MigrationsIndicator,
    SchedulerIndicator,
    EventLoopIndicator,
  ],
  exports: [LifecycleService],
})
export class HealthModule {}
