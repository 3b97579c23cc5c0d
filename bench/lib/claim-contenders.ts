import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CLAIM_LOCK_SQL, CLAIM_WRITE_SQL } from '../../src/scheduler/firing/claim-sql.js';
import type { Contender } from './ab.js';
import { withClient } from './db.js';
import { pgbench } from './pgbench.js';

/**
 * The database-ceiling contenders of `burst`: the claim-and-insert statement driven by pgbench
 * (the engine's own SQL, src/scheduler/firing/claim-sql.ts) and from Node, each measurement starting
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
    // 'allow': the runs inserted here never finish, and under the default 'forbid' a later sweep
    // would find its jobs busy and skip them. The busy check itself still runs.
    await c.query(
      `UPDATE jobs SET next_run_at = to_timestamp($1), last_run_at = NULL,
         concurrency_policy = 'allow'`,
      [s.base],
    );
    await c.query('VACUUM ANALYZE jobs');
  });
}

/**
 * The diagnostic variant of --lean: the same jobs without the two GIN indexes and the
 * definition triggers, i.e. what the claim would cost on a narrow scheduling table.
 */
export async function makeLean(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('DROP INDEX ix_jobs_text_trgm, ix_jobs_tags');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_updated_at');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_notify');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_notify_update');
    await c.query('ALTER TABLE jobs DISABLE TRIGGER tr_jobs_list_gen_update');
  });
}

async function countRows(url: string): Promise<number> {
  return withClient(
    url,
    async (c) => (await c.query('SELECT count(*)::int AS n FROM job_executions')).rows[0].n,
  );
}

/** pgbench spelling of the engine's parameters: client c's i-th claim of `batch` jobs. */
const PGBENCH_PARAMS: Record<string, string> = {
  $1: `ARRAY(SELECT ('00000000000040008' || lpad(to_hex(:client_id::bigint * :per_client + 1 + g), 15, '0'))::uuid
    FROM generate_series(:j0::int, :j0::int + :batch::int - 1) AS g)`,
  $2: 'array_fill(to_timestamp(:slot::float8), ARRAY[:batch::int])',
  $3: "array_fill(to_timestamp(:slot::float8) + interval '1 second', ARRAY[:batch::int])",
  $4: 'array_fill(false, ARRAY[:batch::int])',
  $5: 'array_fill(to_timestamp(:slot::float8), ARRAY[:batch::int])',
  $6: 'array_fill(0, ARRAY[:batch::int])',
  $7: "'{}'",
  $8: "'{}'",
  $9: "'bench'",
};

/**
 * The engine's claim transaction (src/scheduler/firing/claim-sql.ts: lock, then claim-and-insert) as a
 * pgbench script, its parameters spelled as pgbench expressions. Client c owns jobs
 * c*per_client+1 .. (c+1)*per_client; its i-th transaction claims the next `batch` of them at
 * the slot the previous sweep left, so every compare-and-set succeeds.
 */
function pgbenchScript(): string {
  const spell = (sql: string): string => sql.replace(/\$(\d)/g, (m) => PGBENCH_PARAMS[m]);
  const file = join(mkdtempSync(join(tmpdir(), 'claim-')), 'claim.sql');
  writeFileSync(
    file,
    [
      '\\set j0 (:i * :batch) % :per_client',
      '\\set slot :base + (:i * :batch) / :per_client',
      '\\set i :i + 1',
      'BEGIN;',
      `${spell(CLAIM_LOCK_SQL)};`,
      `${spell(CLAIM_WRITE_SQL)};`,
      'COMMIT;',
      '',
    ].join('\n'),
  );
  return file;
}

export function pgbenchContender(s: Setup, batch: number): Contender {
  const script = pgbenchScript();
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
        rowsPerSec: r.tps * batch,
        statementMs: r.latencyMs,
        casSucceeded: rows / (r.transactions * batch),
      };
    },
  };
}

/** The engine's claim transaction from Node, as the engine sends it (pg pool of 10). */
export function nodeContender(s: Setup, batch: number, ids: string[]): Contender {
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
          const c = await pool.connect();
          try {
            for (let i = 0; performance.now() < end; i++) {
              const j0 = (i * batch) % s.perClient;
              const slot = new Date((s.base + Math.floor((i * batch) / s.perClient)) * 1000);
              const next = new Date(slot.getTime() + 1000);
              const first = client * s.perClient + j0;
              const mine = ids.slice(first, first + batch);
              await c.query('BEGIN');
              await c.query(CLAIM_LOCK_SQL, [mine]);
              await c.query(CLAIM_WRITE_SQL, [
                mine,
                mine.map(() => slot),
                mine.map(() => next),
                mine.map(() => false),
                mine.map(() => slot),
                mine.map(() => 0),
                [],
                [],
                'bench',
              ]);
              await c.query('COMMIT');
              statements++;
            }
          } finally {
            c.release();
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, (_, c) => lane(c)));
        const elapsed = performance.now() - started;
        const rows = await countRows(s.url);
        return {
          firingsPerSec: (rows / elapsed) * 1000,
          rowsPerSec: (rows / elapsed) * 1000,
          statementMs: (elapsed * CLIENTS) / statements,
          casSucceeded: rows / (statements * batch),
        };
      } finally {
        await pool.end();
      }
    },
  };
}
