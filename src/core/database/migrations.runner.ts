import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AdvisoryLock, withAdvisoryLock } from './advisory-lock.js';

/**
 * Applies pending migrations at boot (unless RUN_MIGRATIONS=false) under an advisory lock.
 * Runs in onModuleInit, so everything that starts in onApplicationBootstrap sees the schema.
 */
@Injectable()
export class MigrationsRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationsRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.database.runMigrations) {
      this.logger.log('RUN_MIGRATIONS=false: not applying migrations');
      return;
    }
    const applied = await withAdvisoryLock(this.dataSource, AdvisoryLock.Migrations, () =>
      this.dataSource.runMigrations({ transaction: 'each' }),
    );
    this.logger.log(
      applied.length > 0
        ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
        : 'schema is up to date',
    );
  }

  /** True when every known migration is recorded as applied (readiness). */
  async isUpToDate(): Promise<boolean> {
    return !(await this.dataSource.showMigrations());
  }
}
