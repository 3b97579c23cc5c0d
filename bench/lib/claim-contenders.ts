import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Contender } from './ab.js';
import { withClient } from './db.js';
import { pgbench, sqlFile } from './pgbench.js';

/**
 * The database-ceiling contenders of `burst`: the claim-and-insert statement driven by pgbench
 * (bench/sql/claim-*.sql) and from Node (bench/sql/claim-*.node.sql), each measurement starting
 * from the same state on its scratch database.
 */
export const CLIENTS = 10;

export interface Setup {
  /** '' for the schema as migrated, ' (lean jobs)' for the diagnostic variant. */
  label: string;
  url: string;
  jobs: number;
  perClient: number;
  base: number;
  seconds: number;
}

/** Puts every job back on slot `base` and empties the history, so each measurement starts alike. */
async function reset(s: Setup): Promise<void> {
  await withClient(s.url, async (c) => {
    await c.query('TRUNCATE job_executions');
    await c.query('UPDATE jobs SET next_run_at = to_timestamp($1), last_run_at = NULL', [s.base]);
    await c.query('VACUUM ANALYZE jobs');
  });
}

/**
 * The diagnostic variant of --lean: the same jobs without the three GIN indexes and the two
 * definition triggers, i.e. what the claim would cost on a narrow scheduling table.
 */
export async function makeLean(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('DROP INDEX ix_jobs_name_trgm, ix_jobs_description_trgm, ix_jobs_tags');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_updated_at');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_notify');
  });
}

async function countRows(url: string): Promise<number> {
  return withClient(
    url,
    async (c) => (await c.query('SELECT count(*)::int AS n FROM job_executions')).rows[0].n,
  );
}

export function pgbenchContender(s: Setup, batch: number): Contender {
  const script = sqlFile(batch === 1 ? 'claim-single.sql' : 'claim-batch.sql');
  return {
    name: `pgbench ${batch === 1 ? 'single' : `batch ${batch}`}${s.label}`,
    run: async () => {
      await reset(s);
      const r = await pgbench(s.url, script, {
        clients: CLIENTS,
        seconds: s.seconds,
        vars: { per_client: s.perClient, base: s.base, i: 0, batch },
      });
      const rows = await countRows(s.url);
      return {
        firingsPerSec: r.tps * batch,
        statementMs: r.latencyMs,
        casSucceeded: rows / (r.transactions * batch),
      };
    },
  };
}

export function nodeContender(s: Setup, batch: number, ids: string[]): Contender {
  const sql = readFileSync(
    sqlFile(batch === 1 ? 'claim-single.node.sql' : 'claim-batch.node.sql'),
    'utf8',
  );
  return {
    name: `node pool ${CLIENTS} ${batch === 1 ? 'single' : `batch ${batch}`}${s.label}`,
    run: async () => {
      await reset(s);
      const pool = new pg.Pool({ connectionString: s.url, max: CLIENTS });
      let statements = 0;
      try {
        const end = performance.now() + s.seconds * 1000;
        const started = performance.now();
        const lane = async (client: number): Promise<void> => {
          for (let i = 0; performance.now() < end; i++) {
            const j0 = (i * batch) % s.perClient;
            const slot = new Date(
              (s.base + Math.floor((i * batch) / s.perClient)) * 1000,
            ).toISOString();
            const first = client * s.perClient + j0;
            const params: unknown[] =
              batch === 1
                ? [ids[first], slot]
                : [ids.slice(first, first + batch), new Array<string>(batch).fill(slot)];
            await pool.query(sql, params);
            statements++;
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, (_, c) => lane(c)));
        const elapsed = performance.now() - started;
        const rows = await countRows(s.url);
        return {
          firingsPerSec: (rows / elapsed) * 1000,
          statementMs: (elapsed * CLIENTS) / statements,
          casSucceeded: rows / (statements * batch),
        };
      } finally {
        await pool.end();
      }
    },
  };
}
