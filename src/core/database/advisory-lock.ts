import type { DataSource } from 'typeorm';

/** Well-known advisory lock keys; one place so two features never pick the same number. */
export const AdvisoryLock = {
  Migrations: 7_400_001,
  PartitionUpkeep: 7_400_002,
  /**
   * First key of each replica's session lock `(ReplicaSession, hashtext(replica id))`, held by its
   * liveness connection for the replica's whole life (two-key form: never collides with the
   * single-key locks above).
   */
  ReplicaSession: 7_400_003,
  /** The missed-slot and no-success watch: one replica evaluates it at a time. */
  AlertWatch: 7_400_004,
  AuditUpkeep: 7_400_005,
  IdempotencyUpkeep: 7_400_006,
} as const;

/**
 * Runs `fn` while holding a session-level advisory lock on a dedicated connection, so replicas
 * booting together apply migrations one at a time (the later ones find nothing pending).
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: number,
  fn: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Runs `fn` on a dedicated connection if the session advisory lock `key` is free right now;
 * returns null without waiting when another replica holds it (periodic upkeep: one replica a
 * round is enough).
 */
export async function tryWithAdvisoryLock<T>(
  dataSource: DataSource,
  key: number,
  fn: (query: (sql: string, params?: unknown[]) => Promise<unknown[]>) => Promise<T>,
): Promise<T | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [key])) as {
      ok: boolean;
    }[];
    if (!lock.ok) {
      return null;
    }
    try {
      return await fn((sql, params) => runner.query(sql, params) as Promise<unknown[]>);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}
