import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';

/** The server every benchmark creates its scratch databases on. */
export const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Replaces the database name in a postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` on one client connected to `url`, closing it afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const live = new Set<ScratchDatabase>();
let hooked = false;

/** Drops every scratch database still alive when the benchmark is interrupted. */
function hookInterrupt(): void {
  if (hooked) {
    return;
  }
  hooked = true;
  process.once('SIGINT', () => {
    void Promise.allSettled([...live].map((db) => db.drop())).then(() => process.exit(130));
  });
}

/**
 * Creates `bench_<label>_<random>` on BENCH_DATABASE_URL (migrated with the service's own
 * migrations unless `migrate` is false, or cloned from `template`), and drops it on `drop()`.
 */
export async function createScratchDatabase(
  label: string,
  opts: { migrate?: boolean; template?: string } = {},
): Promise<ScratchDatabase> {
  hookInterrupt();
  const name = `bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const from = opts.template ? ` TEMPLATE "${opts.template}"` : '';
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"${from}`));
  const db: ScratchDatabase = {
    name,
    url: withDatabase(ADMIN_URL, name),
    drop: async () => {
      live.delete(db);
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
  live.add(db);
  if (opts.migrate !== false && !opts.template) {
    await migrate(db.url);
  }
  return db;
}

/** Applies migrations/index.ts through a TypeORM DataSource, exactly as the app does. */
export async function migrate(url: string): Promise<void> {
  const ds = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'typeorm_migrations',
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** Runs `fn` on a fresh scratch database and always drops it afterwards. */
export async function withScratch<T>(
  label: string,
  fn: (db: ScratchDatabase) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const db = await createScratchDatabase(label, opts);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}
