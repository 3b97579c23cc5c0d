import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  db: TestDatabase;
  /** Closes the app; drops the database unless it was passed in (shared by several apps). */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Reuse a database (multi-replica tests); otherwise a fresh one is cloned. */
  db?: TestDatabase;
  /** Extra modules next to AppModule (e.g. a global fake of a port the branch lacks). */
  imports?: ModuleMetadata['imports'];
  /** Provider overrides on the testing module (`b => b.overrideProvider(X).useValue(y)`). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** Test defaults: quiet logs, a fixed secret, the scheduler off unless a test turns it on. */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'test-secret-test-secret-test-secret',
  SCHEDULER_ENABLED: 'false',
  THROTTLE_LIMIT: '100000',
  THROTTLE_TRIGGER_LIMIT: '100000',
  THROTTLE_USER_LIMIT: '100000',
};

/** The real AppModule (global pipes, filters, guards) on a real PostgreSQL database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({ ...TEST_ENV, ...options.env, DB_CONNECTION_STRING: db.url });
  const builder = Test.createTestingModule({
    imports: [AppModule.register(config), ...(options.imports ?? [])],
  });
  const moduleRef = await (options.override?.(builder) ?? builder).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
  configureApp(app, config);
  await app.init();
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    db,
    close: async () => {
      await app.close();
      if (!options.db) {
        await db.drop();
      }
    },
  };
}
