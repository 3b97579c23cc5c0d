import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { SCHEDULER_DB, buildDataSourceOptions } from './data-source.js';
import { MigrationsRunner } from './migrations.runner.js';

/**
 * Two pools (bulkheads). The default DataSource serves the API (DB_POOL_SIZE); SCHEDULER_DB
 * (DB_SCHEDULER_POOL_SIZE) serves claims, result writes, recovery and upkeep, so a flood of API
 * requests holding every API connection cannot delay a firing or the write of its outcome.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config),
        autoLoadEntities: true,
        // Boot fails fast with a clear error instead of retrying for minutes.
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
    TypeOrmModule.forRootAsync({
      name: SCHEDULER_DB,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config, {
          size: config.database.schedulerPoolSize,
          applicationName: 'job-scheduler-worker',
        }),
        migrations: [],
        entities: [],
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [MigrationsRunner],
  exports: [MigrationsRunner],
})
export class DatabaseModule {}
