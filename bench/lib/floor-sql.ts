/**
 * The best SQL we know for each request the `api` benchmark drives, as the floor server runs it
 * (issue 19: the floor runs the best SQL, not the service's, so ours/floor shows what our SQL
 * costs as well as what the framework costs). Per request, without caching between requests:
 * - list and search: the page and the exact count in parallel, the search served by one scan of
 *   the trigram index over name and description (`SEARCH_TEXT`, the same index the service has)
 *   with the per-field recheck the contract needs;
 * - one job: the row and its 10 latest executions in one round trip (a LATERAL json_agg over the
 *   (job_id, started_at) index), as a named (prepared) statement;
 * - create: one INSERT … RETURNING every column;
 * - the history page: the service's builders (src/executions/execution.queries.ts: the page as a
 *   named statement and the count only when the page cannot tell it), which we know no better
 *   than; the floor server imports them.
 * The service caches list totals (validated per request by the list generation, see
 * src/jobs/jobs.repository.ts); the floor does not, so on the list the ratio can exceed 1.
 */
import { SEARCH_TEXT } from '../../src/jobs/jobs.repository.js';

export const JOB_COLUMNS = `id, name, description, cron_expression, is_active, job_type, payload,
  timezone, interval_ms, run_at, target, concurrency_policy, misfire_policy, retry_backoff,
  created_at, updated_at, last_run_at, next_run_at, total_runs, successful_runs, failed_runs,
  skipped_runs, timeout_ms, max_retries, retry_delay_ms, created_by, tags`;

export interface ListFilter {
  search?: string;
  tags?: string[];
}

/** WHERE clause and parameters of GET /api/jobs (search: substring of name or description; tags: all). */
export function jobsWhere(f: ListFilter): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.search) {
    params.push(`%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const p = `$${params.length}`;
    parts.push(`${SEARCH_TEXT} ILIKE ${p} AND (name ILIKE ${p} OR description ILIKE ${p})`);
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
  /** The job and its 10 latest executions (camelCase keys, as the response has them). */
  jobWithHistory: `SELECT j.*, coalesce(h.items, '[]'::json) AS history
    FROM (SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1) j
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object(
               'id', e.id, 'jobId', e.job_id, 'status', e.status, 'startedAt', e.started_at,
               'completedAt', e.completed_at, 'durationMs', e.duration_ms,
               'errorMessage', e.error_message, 'retryCount', e.retry_count, 'output', e.output,
               'scheduledFor', e.scheduled_for, 'trigger', e.trigger)
             ORDER BY e.started_at DESC) AS items
      FROM (SELECT * FROM job_executions WHERE job_id = j.id
            ORDER BY started_at DESC LIMIT 10) e
    ) h ON true`,
  insertJob: `INSERT INTO jobs (name, description, cron_expression, is_active, job_type, payload,
      timezone, interval_ms, run_at, target, concurrency_policy, misfire_policy, retry_backoff,
      next_run_at, timeout_ms, max_retries, retry_delay_ms, created_by, tags)
    VALUES ($1, $2, $3, true, 'scheduled', $4, $5, NULL, NULL, '{"type":"handler","name":"log"}',
      'forbid', 'fire_once', 'fixed', $6, $7, $8, $9, $10, $11)
    RETURNING ${JOB_COLUMNS}`,
} as const;
