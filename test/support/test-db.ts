import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { randomDbName, withDatabase } from './pg-admin.js';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function env(): { adminUrl: string; template: string } {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (!adminUrl || !template) {
    throw new Error('test database not prepared: run through jest (test/support/global-setup.ts)');
  }
  return { adminUrl, template };
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrates this run's template once; an advisory lock serialises parallel workers. */
async function ensureTemplate(adminUrl: string, template: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(7400900)');
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) {
        return;
      }
      await admin.query(`CREATE DATABASE "${template}"`);
      const ds = new DataSource({
        type: 'postgres',
        url: withDatabase(adminUrl, template),
        migrations,
        migrationsTableName: 'typeorm_migrations',
      });
      await ds.initialize();
      try {
        await ds.runMigrations({ transaction: 'each' });
      } finally {
        await ds.destroy();
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7400900)');
    }
  });
}

function handle(adminUrl: string, name: string): TestDatabase {
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () =>
      withAdmin(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/** A fresh database cloned from the migrated template: one per test file, nothing shared. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template } = env();
  await ensureTemplate(adminUrl, template);
  const name = randomDbName('t');
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return handle(adminUrl, name);
}

/** An empty database (no migrations), for migration up/down tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const { adminUrl } = env();
  const name = randomDbName('t_empty');
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return handle(adminUrl, name);
}
