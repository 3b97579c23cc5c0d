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

  it('keeps no GIN pending list on the indexes the job list searches (fast update off)', async () => {
    const rows: { relname: string; reloptions: string[] | null }[] = await ds.query(
      `SELECT relname, reloptions FROM pg_class
        WHERE relname IN ('ix_jobs_text_trgm', 'ix_jobs_tags') ORDER BY relname`,
    );
    expect(rows).toEqual([
      { relname: 'ix_jobs_tags', reloptions: ['fastupdate=off'] },
      { relname: 'ix_jobs_text_trgm', reloptions: ['fastupdate=off'] },
    ]);
  });

  it("makes the scheduler's writes to jobs heap-only, and definition changes still notify", async () => {
    const q = ds.createQueryRunner();
    try {
      const [job] = await q.query(
        `INSERT INTO jobs (name, cron_expression, next_run_at, tags)
         VALUES ('hot', '0 * * * * *', now(), '{a,b}') RETURNING id, updated_at`,
      );
      await q.query('LISTEN job_changed');
      await q.startTransaction();
      // What a claim and a finished run write: the slot, last run and the counters.
      await q.query(
        `UPDATE jobs SET next_run_at = next_run_at + interval '1 minute', last_run_at = now(),
           total_runs = total_runs + 1, successful_runs = successful_runs + 1,
           consecutive_failures = 0, last_success_at = now(),
           recent_durations_ms = recent_durations_ms || 5, recent_lags_ms = recent_lags_ms || 1
         WHERE id = $1`,
        [job.id],
      );
      const [stats] = await q.query(
        `SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot
         FROM pg_stat_xact_user_tables WHERE relname = 'jobs'`,
      );
      expect(stats).toEqual({ upd: 1, hot: 1 });
      const [after] = await q.query(`SELECT updated_at FROM jobs WHERE id = $1`, [job.id]);
      expect(after.updated_at).toEqual(job.updated_at);
      await q.rollbackTransaction();

      const notified = new Promise<string>((resolve) => {
        const driverClient = (q as unknown as { databaseConnection: import('pg').Client })
          .databaseConnection;
        driverClient.once('notification', (n) => resolve(n.payload ?? ''));
      });
      await q.query(`UPDATE jobs SET name = 'renamed' WHERE id = $1`, [job.id]);
      expect(await notified).toBe(`${job.id}:UPDATE`);
      const [renamed] = await q.query(`SELECT updated_at FROM jobs WHERE id = $1`, [job.id]);
      expect(renamed.updated_at.getTime()).toBeGreaterThanOrEqual(job.updated_at.getTime());
      await q.query(`DELETE FROM jobs WHERE id = $1`, [job.id]);
    } finally {
      await q.query('UNLISTEN *');
      await q.release();
    }
  });
});
