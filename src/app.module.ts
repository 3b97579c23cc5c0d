import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { JwtAuthGuard } from './auth/jwt.guard.js';
import { RolesGuard } from './auth/roles.guard.js';
import { AppThrottlerGuard } from './auth/throttler.guard.js';
import { throttlerOptions } from './auth/throttler.options.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CoreModule } from './core/core.module.js';
import { DatabaseModule } from './core/database/database.module.js';
import { EnvelopeInterceptor } from './core/http/envelope.interceptor.js';
import { AppExceptionFilter } from './core/http/exception.filter.js';
import { TimeoutInterceptor } from './core/http/timeout.interceptor.js';
import { createValidationPipe } from './core/http/validation.pipe.js';
import { LoggingModule } from './core/logging/logging.module.js';
import { EventsModule } from './events/events.module.js';
import { ExecutionsModule } from './executions/executions.module.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { CalendarsModule } from './calendars/calendars.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';

/** The whole service. Config is loaded by the caller (main.ts, a test) and passed in. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        CoreModule,
        LoggingModule,
        DatabaseModule,
        ScheduleModule.forRoot(),
        ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: throttlerOptions }),
        HealthModule,
        MetricsModule,
        AuditModule,
        IdempotencyModule,
        AuthModule,
        JobsModule,
        CalendarsModule,
        ExecutionsModule,
        SchedulerModule,
        AlertsModule,
        EventsModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
        // Guards run in this order: rate limit first (so floods never reach bcrypt or the
        // database), then authentication, then the role check.
        { provide: APP_GUARD, useClass: AppThrottlerGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        // First, so it is the outermost: it stores and replays the whole enveloped body.
        { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_INTERCEPTOR, useClass: TimeoutInterceptor },
      ],
    };
  }
}
