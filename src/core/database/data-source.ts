import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';
import type { AppConfig } from '../../config/app-config.js';

/** The one set of DataSource options, used by the app, the TypeORM CLI and the tests. */
export function buildDataSourceOptions(config: Pick<AppConfig, 'database'>): DataSourceOptions {
  if (!config.database.url) {
    throw new Error('database url is not set (embedded PostgreSQL not started?)');
  }
  return {
    type: 'postgres',
    url: config.database.url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    extra: {
      max: config.database.poolSize,
      connectionTimeoutMillis: 5000,
      // Keep the pool from holding sockets forever against a server that went away.
      idleTimeoutMillis: 30000,
      application_name: 'job-scheduler',
    },
  };
}
