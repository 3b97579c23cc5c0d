import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './core/database/database.module.js';
import { EnvelopeInterceptor } from './core/http/envelope.interceptor.js';
import { AppExceptionFilter } from './core/http/exception.filter.js';
import { createValidationPipe } from './core/http/validation.pipe.js';
import { LoggingModule } from './core/logging/logging.module.js';
import { HealthModule } from './health/health.module.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';

/** The whole service. Config is loaded by the caller (main.ts, a test) and passed in. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        LoggingModule,
        DatabaseModule,
        ScheduleModule.forRoot(),
        HealthModule,
        SchedulerModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
      ],
    };
  }
}
