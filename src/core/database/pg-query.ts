import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a node-postgres query config, named or not, on a connection of TypeORM's pool and returns
 * its rows. node-postgres parses a named statement once per connection and then only binds and
 * executes it, so PostgreSQL can keep the plan; TypeORM's `query()` sends unnamed statements only. The connection comes through a
 * query runner (its public `connect()` returns the pg client), so pool limits and shutdown stay
 * TypeORM's. Named statements need session pooling if a pooler sits in front of PostgreSQL.
 */
export async function pgQuery<T>(
  dataSource: DataSource,
  query: { name?: string; text: string; values: unknown[] },
): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as pg.ClientBase;
    return (await client.query(query)).rows as T[];
  } finally {
    await runner.release();
  }
}

/** `SELECT count(*)::int AS n …` answered as a number, or null when the database is unreachable. */
export async function countOrNull(dataSource: DataSource, sql: string): Promise<number | null> {
  try {
    const rows: { n: number }[] = await dataSource.query(sql);
    return rows[0]?.n ?? 0;
  } catch {
    return null;
  }
}
