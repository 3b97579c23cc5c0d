import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-db.js';

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    ds = new DataSource({
      type: 'postgres',
      url: db.url,
      migrations,
      migrationsTableName: 'typeorm_migrations',
    });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const tables = async (): Promise<string[]> =>
    (
      await ds.query<{ tablename: string }[]>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
      )
    ).map((r) => r.tablename);

  it('applies every migration to an empty database, then reverts them all, then re-applies', async () => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => new m().name));
    expect(await tables()).toEqual(
      expect.arrayContaining(['jobs', 'job_executions', 'users', 'scheduler_replicas']),
    );
    expect(await ds.showMigrations()).toBe(false);

    for (let i = 0; i < migrations.length; i++) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
    expect(await tables()).toEqual([]);
    const functions = await ds.query<unknown[]>(
      `SELECT proname FROM pg_proc WHERE proname IN
         ('cleanup_old_executions', 'ensure_execution_partition', 'jobs_notify_change')`,
    );
    expect(functions).toEqual([]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await ds.showMigrations()).toBe(false);
  });
});
