/**
 * The SQL the service runs for each request the `api` benchmark drives, as the floor server
 * runs it: the statements src/jobs/jobs.repository.ts sends (the service aliases each column to
 * its property name; the floor maps rows itself), in the same order and concurrency as
 * src/jobs/jobs.service.ts issues them. The INSERT is TypeORM's. The history reads are the
 * service's own builders (src/executions/execution.queries.ts), imported by the floor server.
 * Change both sides together.
 */
export const JOB_COLUMNS = `id, name, description, cron_expression, is_active, job_type, payload,
  timezone, interval_ms, run_at, target, concurrency_policy, misfire_policy, retry_backoff,
  created_at, updated_at, last_run_at, next_run_at, total_runs, successful_runs, failed_runs,
  skipped_runs, timeout_ms, max_retries, retry_delay_ms, created_by, tags`;

export interface ListFilter {
  search?: string;
  tags?: string[];
}

/** WHERE clause and parameters of GET /api/jobs (search: ILIKE on name/description; tags: all). */
export function jobsWhere(f: ListFilter): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.search) {
    params.push(`%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const p = `$${params.length}`;
    parts.push(`(name ILIKE ${p} ESCAPE '\\' OR description ILIKE ${p} ESCAPE '\\')`);
  }
  if (f.tags?.length) {
    params.push(f.tags);
    parts.push(`tags @> CAST($${params.length} AS text[])`);
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export const SQL = {
  health: 'SELECT 1',
  countJobs: (where: string) => `SELECT count(*)::int AS total FROM jobs ${where}`,
  pageJobs: (where: string, n: number) =>
    `SELECT ${JOB_COLUMNS} FROM jobs ${where} ORDER BY created_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
  jobById: `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`,
  // TypeORM's insert returns the generated and defaulted columns; the service then re-reads
  // the row (jobById) for the response.
  insertJob: `INSERT INTO jobs (name, description, cron_expression, is_active, job_type, payload,
      timezone, interval_ms, run_at, target, concurrency_policy, misfire_policy, retry_backoff,
      next_run_at, timeout_ms, max_retries, retry_delay_ms, created_by, tags)
    VALUES ($1, $2, $3, true, 'scheduled', $4, $5, NULL, NULL, '{"type":"handler","name":"log"}',
      'forbid', 'fire_once', 'fixed', $6, $7, $8, $9, $10, $11)
    RETURNING id, is_active, job_type, payload, concurrency_policy, misfire_policy, retry_backoff,
      total_runs, successful_runs, failed_runs, skipped_runs, timeout_ms, max_retries,
      retry_delay_ms, tags`,
} as const;
