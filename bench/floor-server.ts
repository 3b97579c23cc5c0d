import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { nextCronFire } from '../src/jobs/schedule/schedule.js';
import { countQuery, pageQuery, totalFromPage } from '../src/executions/execution.queries.js';
import { jobsWhere, SQL } from './lib/floor-sql.js';

/**
 * The `api` floor: a bare node:http + pg server answering the benchmarked requests with the best
 * SQL we know (bench/lib/floor-sql.ts) and the service's response shapes (envelope, camelCase job with statistics/configuration), no
 * framework, no ORM, no auth, no validation library. Run as its own process by bench/api.ts:
 * DB_CONNECTION_STRING, PORT (0 = any), DB_POOL_SIZE (10); reports its port over IPC.
 */
type Row = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toJob(r: Row): Row {
  const total = r.total_runs as number;
  const ok = r.successful_runs as number;
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    cronExpression: r.cron_expression,
    isActive: r.is_active,
    jobType: r.job_type,
    payload: r.payload,
    timezone: r.timezone,
    intervalMs: r.interval_ms,
    runAt: r.run_at,
    target: r.target,
    concurrencyPolicy: r.concurrency_policy,
    misfirePolicy: r.misfire_policy,
    retryBackoff: r.retry_backoff,
    createdBy: r.created_by,
    tags: r.tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastRunAt: r.last_run_at,
    nextRunAt: r.next_run_at,
    statistics: {
      totalRuns: total,
      successfulRuns: ok,
      failedRuns: r.failed_runs,
      successRate: total ? Math.round((ok / total) * 10000) / 100 : 0,
    },
    configuration: {
      timeoutMs: r.timeout_ms,
      maxRetries: r.max_retries,
      retryDelayMs: r.retry_delay_ms,
    },
  };
}

/** The service's history queries alias columns to property names; the response drops replicaId. */
function toExecution(r: Row): Row {
  const out = { ...r };
  delete out.replicaId;
  return out;
}

function send(res: ServerResponse, status: number, data: unknown): void {
  const ok = status < 400;
  const body = ok
    ? { success: true, data, timestamp: new Date().toISOString() }
    : { success: false, error: 'Error', message: data, timestamp: new Date().toISOString() };
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function pagination(page: number, limit: number, total: number): Row {
  const totalPages = Math.ceil(total / limit);
  return { page, limit, total, totalPages, hasNext: page < totalPages, hasPrev: page > 1 };
}

function pageOf(q: URLSearchParams): { page: number; limit: number } {
  const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
  const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 10) || 10));
  return { page, limit };
}

async function listJobs(pool: pg.Pool, q: URLSearchParams): Promise<Row> {
  const { page, limit } = pageOf(q);
  const tags = q.get('tags')?.split(',').filter(Boolean);
  const { where, params } = jobsWhere({ search: q.get('search') ?? undefined, tags });
  const [count, rows] = await Promise.all([
    pool.query(SQL.countJobs(where), params),
    pool.query(SQL.pageJobs(where, params.length), [...params, limit, (page - 1) * limit]),
  ]);
  return { jobs: rows.rows.map(toJob), pagination: pagination(page, limit, count.rows[0].total) };
}

async function getJob(pool: pg.Pool, id: string): Promise<Row | null> {
  const r = await pool.query({ name: 'job_with_history', text: SQL.jobWithHistory, values: [id] });
  if (!r.rowCount) {
    return null;
  }
  const { history, ...job } = r.rows[0] as Row;
  return { job: toJob(job), executionHistory: history, isScheduled: job.is_active };
}

/** As ExecutionsRepository.search: the page (named on page 1), the count only when needed. */
async function listExecutions(pool: pg.Pool, id: string, q: URLSearchParams): Promise<Row | null> {
  const { page, limit } = pageOf(q);
  const offset = (page - 1) * limit;
  const [job, rows] = await Promise.all([
    pool.query({ name: 'job_by_id', text: SQL.jobById, values: [id] }),
    pool.query(pageQuery({ jobId: id }, offset, limit)),
  ]);
  if (!job.rowCount) {
    return null;
  }
  const total =
    totalFromPage(offset, limit, rows.rowCount ?? 0) ??
    Number((await pool.query<{ total: string }>(countQuery({ jobId: id }))).rows[0].total);
  return { executions: rows.rows.map(toExecution), pagination: pagination(page, limit, total) };
}

async function createJob(pool: pg.Pool, req: IncomingMessage): Promise<Row | string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
  }
  const b = JSON.parse(text) as Row;
  if (typeof b.name !== 'string' || typeof b.cronExpression !== 'string') {
    return 'name and cronExpression are required';
  }
  const tz = typeof b.timezone === 'string' ? b.timezone : 'Asia/Kolkata';
  const next = nextCronFire(b.cronExpression, tz, new Date());
  const r = await pool.query({
    name: 'insert_job',
    text: SQL.insertJob,
    values: [
      b.name,
      b.description ?? null,
      b.cronExpression,
      JSON.stringify(b.payload ?? {}),
      tz,
      next,
      b.timeoutMs ?? 30000,
      b.maxRetries ?? 3,
      b.retryDelayMs ?? 5000,
      b.createdBy ?? null,
      b.tags ?? [],
    ],
  });
  return toJob(r.rows[0] as Row);
}

async function route(pool: pg.Pool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://floor');
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'GET' && url.pathname === '/health') {
    await pool.query(SQL.health);
    return send(res, 200, { status: 'healthy' });
  }
  if (parts[0] !== 'api' || parts[1] !== 'jobs') {
    return send(res, 404, 'not found');
  }
  if (parts.length === 2) {
    if (req.method === 'POST') {
      const job = await createJob(pool, req);
      return typeof job === 'string' ? send(res, 400, job) : send(res, 201, job);
    }
    return send(res, 200, await listJobs(pool, url.searchParams));
  }
  if (!UUID.test(parts[2])) {
    return send(res, 400, 'id must be a UUID');
  }
  if (parts.length === 4 && parts[3] === 'executions') {
    const list = await listExecutions(pool, parts[2], url.searchParams);
    return list ? send(res, 200, list) : send(res, 404, 'job not found');
  }
  const job = await getJob(pool, parts[2]);
  return job ? send(res, 200, job) : send(res, 404, 'job not found');
}

async function start(): Promise<void> {
  const pool = new pg.Pool({
    connectionString: process.env.DB_CONNECTION_STRING,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
  });
  const server = createServer((req, res) => {
    route(pool, req, res).catch((e: unknown) => send(res, 500, String(e)));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) =>
    server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'listening', port });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void pool.end().then(() => process.exit(0)));
  });
}

void start();
