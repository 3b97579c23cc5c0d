import type { ExecutionStatus } from './execution.entity.js';

/** Filters of the history reads; every one is optional. `from`/`to` bound started_at inclusively. */
export interface ExecutionFilter {
  jobId?: string;
  status?: ExecutionStatus;
  from?: Date;
  to?: Date;
}

/** A node-postgres query config with a statement name: prepared once per pooled connection. */
export interface NamedQuery {
  name: string;
  text: string;
  values: unknown[];
}

/** The columns of an execution under the entity's property names, so rows need no mapping. */
const COLUMNS = `id, job_id AS "jobId", status, trigger, scheduled_for AS "scheduledFor",
  started_at AS "startedAt", completed_at AS "completedAt", duration_ms AS "durationMs",
  error_message AS "errorMessage", retry_count AS "retryCount", output, replica_id AS "replicaId"`;

const CONDITIONS = [
  ['jobId', 'job_id = $%::uuid'],
  ['status', 'status = $%'],
  ['from', 'started_at >= $%::timestamptz'],
  ['to', 'started_at <= $%::timestamptz'],
] as const;

/**
 * The WHERE clause of `filter` and its values. Each combination of present filters is its own
 * statement, named by a bit mask ('j', 's', 'f', 't'), so a cached plan never carries an
 * `IS NULL OR` branch and the planner keeps runtime partition pruning on started_at.
 */
function where(filter: ExecutionFilter): { key: string; sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  let key = '';
  for (const [field, condition] of CONDITIONS) {
    const value = filter[field];
    if (value !== undefined) {
      values.push(value);
      parts.push(condition.replace('%', String(values.length)));
      key += field[0];
    }
  }
  return { key: key || 'all', sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

/**
 * One page, newest first with id as tie-break. Sent as a named statement: after five executions
 * on a connection PostgreSQL keeps a generic plan (Merge Append over the partitions' indexes,
 * pruned at run time), so a page no longer pays for planning over every partition.
 */
export function pageQuery(filter: ExecutionFilter, offset: number, limit: number): NamedQuery {
  const w = where(filter);
  const n = w.values.length;
  return {
    name: `executions_page_${w.key}`,
    text: `SELECT ${COLUMNS} FROM job_executions ${w.sql}
      ORDER BY started_at DESC, id DESC LIMIT $${n + 1}::int OFFSET $${n + 2}::int`,
    values: [...w.values, limit, offset],
  };
}

/** The exact number of executions matching `filter` (an index-only scan per partition). */
export function countQuery(filter: ExecutionFilter): NamedQuery {
  const w = where(filter);
  return {
    name: `executions_count_${w.key}`,
    text: `SELECT count(*) AS total FROM job_executions ${w.sql}`,
    values: w.values,
  };
}

/** One execution by id (its primary key is (id, started_at): one index probe per partition). */
export function byIdQuery(id: string): NamedQuery {
  return {
    name: 'executions_by_id',
    text: `SELECT ${COLUMNS} FROM job_executions WHERE id = $1::uuid`,
    values: [id],
  };
}

/**
 * The total when a page itself proves it: a page shorter than `limit` that is the first page or
 * holds rows ends the result, so total = offset + rows. Otherwise null (a count is needed).
 */
export function totalFromPage(offset: number, limit: number, rows: number): number | null {
  return rows < limit && (rows > 0 || offset === 0) ? offset + rows : null;
}
