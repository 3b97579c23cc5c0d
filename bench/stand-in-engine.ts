import { createServer, request, Agent } from 'node:http';
import pg from 'pg';

/**
 * A deliberately naive stand-in for the service, to check the app-based harnesses (burst,
 * firing, replicas, peers' "ours") before the engine lands:
 * `BENCH_APP_MAIN=dist/bench/stand-in-engine.js npm run bench:firing -- --quick`.
 * It polls every 50 ms, claims up to 1,000 due jobs per statement with SKIP LOCKED, advances
 * each by one minute (right for the firing benchmark's `S * * * * *` jobs only), records the
 * executions and calls http targets with X-Scheduled-For. Not a reference for anything.
 */
const pool = new pg.Pool({ connectionString: process.env.DB_CONNECTION_STRING, max: 10 });
const agent = new Agent({ keepAlive: true, maxSockets: 50 });

const CLAIM = `
  WITH due AS (
    SELECT id, next_run_at AS slot FROM jobs
    WHERE is_active AND next_run_at <= now() LIMIT 1000 FOR UPDATE SKIP LOCKED
  ), won AS (
    UPDATE jobs j SET next_run_at = j.next_run_at + interval '1 minute', last_run_at = now()
    FROM due WHERE j.id = due.id RETURNING j.id, due.slot, j.target
  ), ins AS (
    INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at)
    SELECT id, 'running', 'schedule', slot, now() FROM won
  )
  SELECT slot, target FROM won`;

interface Claimed {
  slot: Date;
  target: { type: string; url?: string };
}

function call(url: string, slot: Date): Promise<void> {
  return new Promise((done) => {
    const req = request(url, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', done);
    });
    req.on('error', () => done());
    req.setHeader('x-scheduled-for', slot.toISOString());
    req.end('{}');
  });
}

async function tick(): Promise<void> {
  const r = await pool.query<Claimed>(CLAIM);
  const calls = r.rows.filter((x) => x.target.type === 'http' && x.target.url);
  await Promise.all(calls.map((x) => call(x.target.url as string, x.slot)));
  setTimeout(() => void tick(), r.rowCount ? 0 : 50);
}

createServer((_req, res) => res.writeHead(200).end('{}')).listen(
  Number(process.env.PORT),
  '127.0.0.1',
);
void tick();
process.once('SIGTERM', () => process.exit(0));
