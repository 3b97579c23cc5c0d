import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';
import type { AppConfig } from '../../config/app-config.js';

/** The scheduler's DataSource (its own pool), injected with `@InjectDataSource(SCHEDULER_DB)`. */
export const SCHEDULER_DB = 'scheduler';

/**
 * TCP keepalive on every pooled socket: a connection to a server that vanished without a FIN (a
 * network partition) is noticed and replaced instead of hanging a query for the kernel's minutes.
 */
export const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

/** The one set of DataSource options, used by the app, the TypeORM CLI and the tests. */
export function buildDataSourceOptions(
  config: Pick<AppConfig, 'database'>,
  pool: { size?: number; applicationName?: string } = {},
): DataSourceOptions {
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
      max: pool.size ?? config.database.poolSize,
      // Also the longest a query waits for a free connection: past it the API answers 503.
      connectionTimeoutMillis: 5000,
      // Keep the pool from holding sockets forever against a server that went away.
      idleTimeoutMillis: 30000,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
      application_name: pool.applicationName ?? 'job-scheduler',
    },
  };
}
