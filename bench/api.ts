import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Contender, ratio, runInterleaved } from './lib/ab.js';
import { login, MAIN_JS, startApp, waitReady, type AppProcess } from './lib/app-process.js';
import { intOption, main, parseOptions } from './lib/cli.js';
import { createScratchDatabase, withClient } from './lib/db.js';
import { type Endpoint, loadEndpoint } from './lib/http-load.js';
import { machineFacts, writeResult } from './lib/results.js';
import { jobId, seedJobs, TAGS } from './lib/seed.js';
import { printTable } from './lib/table.js';

/**
 * api: autocannon (10 connections) on each benchmarked request, against the floor (bench/
 * floor-server.ts: node:http + pg, the service's SQL) and, once the jobs API is built, against
 * the real app (auth on, throttling relaxed), interleaved floor/ours run by run; with 10,000 and
 * 100,000 jobs. The ratio ours/floor is what the framework, validation, auth and the ORM cost.
 */
const CONNECTIONS = 10;
const WITH_HISTORY = 1000;
const here = dirname(fileURLToPath(import.meta.url));
let posted = 0;

const rand = (n: number): number => Math.floor(Math.random() * n);

function endpoints(jobs: number): Endpoint[] {
  return [
    {
      name: 'GET /api/jobs?page=1&limit=10',
      method: 'GET',
      path: () => '/api/jobs?page=1&limit=10',
    },
    {
      name: 'GET /api/jobs?search=',
      method: 'GET',
      path: () => `/api/jobs?page=1&limit=10&search=tenant%20${100 + rand(897)}`,
    },
    {
      name: 'GET /api/jobs?tags=',
      method: 'GET',
      path: () => `/api/jobs?page=1&limit=10&tags=${TAGS[rand(10)]}`,
    },
    { name: 'GET /api/jobs/{id}', method: 'GET', path: () => `/api/jobs/${jobId(1 + rand(jobs))}` },
    {
      name: 'POST /api/jobs',
      method: 'POST',
      path: () => '/api/jobs',
      body: () => ({
        name: `bench post ${++posted}`,
        cronExpression: '0 0 0 1 1 *',
        timezone: 'UTC',
        createdBy: 'bench-post',
        tags: ['bench'],
      }),
    },
    {
      name: 'GET /api/jobs/{id}/executions',
      method: 'GET',
      path: () => `/api/jobs/${jobId(1 + rand(WITH_HISTORY))}/executions?page=1&limit=20`,
    },
    { name: 'GET /health', method: 'GET', path: () => '/health' },
  ];
}

/** True once the jobs API is compiled into dist/. */
function apiAvailable(): boolean {
  return existsSync(resolve(MAIN_JS, '../jobs/jobs.module.js'));
}

interface Server {
  baseUrl: string;
  token?: string;
  stop(): Promise<void>;
}

async function startFloor(url: string): Promise<Server> {
  const child: ChildProcess = fork(resolve(here, 'floor-server.js'), [], {
    env: { PATH: process.env.PATH ?? '', DB_CONNECTION_STRING: url, PORT: '0', DB_POOL_SIZE: '10' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((res, rej) => {
    child.once('message', (m: { port: number }) => res(m.port));
    child.once('exit', (code) => rej(new Error(`floor server exited with ${code}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

async function startOurs(url: string): Promise<Server> {
  const app: AppProcess = await startApp(url);
  await waitReady(app);
  return { baseUrl: app.baseUrl, token: await login(app.baseUrl), stop: () => app.stop() };
}

/** Jobs (yearly crons: nothing fires while measuring) and 50 executions for each of the first 1,000. */
async function seed(url: string, jobs: number): Promise<void> {
  await withClient(url, async (c) => {
    await seedJobs(c, jobs, {
      cron: `'0 0 0 1 1 *'`,
      nextRunAt: `date_trunc('year', now()) + interval '1 year'`,
    });
    await c.query(`SET session_replication_role = replica`);
    await c.query(
      `INSERT INTO job_executions (job_id, status, trigger, scheduled_for, started_at, completed_at, duration_ms)
       SELECT ('00000000000040008' || lpad(to_hex(1 + g % $1), 15, '0'))::uuid, 'completed', 'schedule',
              now() - make_interval(mins => g), now() - make_interval(mins => g),
              now() - make_interval(mins => g) + interval '20 ms', 20
       FROM generate_series(1, $1 * 50) AS g`,
      [WITH_HISTORY],
    );
    await c.query(`SET session_replication_role = origin`);
    await c.query('VACUUM ANALYZE');
  });
}

function contender(
  label: string,
  server: () => Server,
  ep: Endpoint,
  url: string,
  seconds: number,
): Contender {
  return {
    name: `${ep.name} | ${label}`,
    run: async () => {
      const s = server();
      const f = await loadEndpoint(s.baseUrl, s.token, ep, { connections: CONNECTIONS, seconds });
      if (ep.method === 'POST') {
        // Back to the seeded state for the next request kind, dead rows and index entries too.
        await withClient(url, async (c) => {
          await c.query(`DELETE FROM jobs WHERE created_by = 'bench-post'`);
          await c.query('VACUUM ANALYZE jobs');
        });
      }
      return f;
    },
  };
}

async function measureSize(
  jobs: number,
  seconds: number,
  runs: number,
  only: string[],
): Promise<Record<string, unknown>> {
  const selected = endpoints(jobs).filter(
    (ep) => only.length === 0 || only.some((o) => ep.name.includes(o)),
  );
  const db = await createScratchDatabase(`api${jobs}`);
  const servers: Server[] = [];
  try {
    await seed(db.url, jobs);
    const floor = await startFloor(db.url);
    servers.push(floor);
    const ours = apiAvailable() ? await startOurs(db.url) : null;
    if (ours) {
      servers.push(ours);
    }
    const contenders = selected.flatMap((ep) => [
      contender('floor', () => floor, ep, db.url, seconds),
      ...(ours ? [contender('ours', () => ours, ep, db.url, seconds)] : []),
    ]);
    const result = await runInterleaved(contenders, runs, (name, i, f) =>
      console.log(
        `${jobs} jobs, run ${i + 1} ${name}: ${Math.round(f.reqPerSec)} req/s p99 ${f.p99Ms} ms`,
      ),
    );
    printTable(
      `api: ${jobs} jobs, ${CONNECTIONS} connections, ${seconds} s each, median of ${runs}`,
      ['request | server', 'req/s', 'min', 'max', 'p50 ms', 'p99 ms'],
      contenders.map((c) => {
        const f = result.summary[c.name];
        return [
          c.name,
          f.reqPerSec.median,
          f.reqPerSec.min,
          f.reqPerSec.max,
          f.p50Ms.median,
          f.p99Ms.median,
        ];
      }),
    );
    const ratios = ours
      ? selected.map((ep) => ({
          endpoint: ep.name,
          oursOverFloor: ratio(result, `${ep.name} | ours`, `${ep.name} | floor`, 'reqPerSec'),
        }))
      : 'pending: the jobs API is not built yet';
    return { jobs, ...result, ratios };
  } finally {
    for (const s of servers) {
      await s.stop();
    }
    await db.drop();
  }
}

main(async () => {
  const opts = parseOptions({
    seconds: { type: 'string' },
    jobs: { type: 'string' },
    only: { type: 'string' },
  });
  // --only 'health,{id}': measure only the requests whose name contains one of these strings.
  const only = typeof opts.values.only === 'string' ? opts.values.only.split(',') : [];
  const seconds = intOption(opts.values.seconds, opts.quick ? 3 : 15);
  const sizes = opts.values.jobs
    ? String(opts.values.jobs)
        .split(',')
        .map((j) => intOption(j, 0))
    : opts.quick
      ? [10_000]
      : [10_000, 100_000];
  if (!apiAvailable()) {
    console.warn('jobs API not built: measuring the floor only (ours is pending)');
  }
  const machine = await machineFacts();
  const bySize = [];
  for (const jobs of sizes) {
    bySize.push(await measureSize(jobs, seconds, opts.runs, only));
  }
  const file = writeResult('api', opts.quick, {
    machine,
    options: {
      sizes,
      seconds,
      connections: CONNECTIONS,
      runs: opts.runs,
      ours: apiAvailable(),
      only,
    },
    bySize,
  });
  console.log(`\nwritten ${file}`);
});
