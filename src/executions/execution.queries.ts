import { WhereBuilder } from '../core/database/where-builder.js';
import type { ExecutionStatus } from './execution.entity.js';

/** Filters of the history reads; every one is optional. `from`/`to` bound started_at inclusively. */
export interface ExecutionFilter {
  jobId?: string;
  status?: ExecutionStatus;
  /** true: dead letters only (final failures); false: everything else. */
  final?: boolean;
  from?: Date;
  to?: Date;
}

/**
 * A node-postgres query config. With a name it is parsed once per pooled connection and PostgreSQL
 * keeps its plan (a generic one once it costs no more than the custom ones).
 */
export interface HistoryQuery {
  name?: string;
  text: string;
  values: unknown[];
}

/** The columns of an execution under the entity's property names, so rows need no mapping. */
const COLUMNS = `id, job_id AS "jobId", status, trigger, scheduled_for AS "scheduledFor",
  started_at AS "startedAt", completed_at AS "completedAt", duration_ms AS "durationMs",
  error_message AS "errorMessage", retry_count AS "retryCount", output, replica_id AS "replicaId",
  http_status AS "httpStatus", final_failure AS "finalFailure", replay_of AS "replayOf"`;

const CONDITIONS = [
  ['jobId', (p: string) => `job_id = ${p}::uuid`],
  ['status', (p: string) => `status = ${p}`],
  ['final', (p: string) => `final_failure = ${p}::boolean`],
  ['from', (p: string) => `started_at >= ${p}::timestamptz`],
  ['to', (p: string) => `started_at <= ${p}::timestamptz`],
] as const;

/**
 * The WHERE clause of `filter` and its values. Each combination of present filters is its own
 * statement, named by a bit mask ('j', 's', 'd', 'f', 't'), so a cached plan never carries an
 * `IS NULL OR` branch and the planner keeps runtime partition pruning on started_at.
 */
function where(filter: ExecutionFilter): { key: string; sql: string; values: unknown[] } {
  const w = new WhereBuilder();
  for (const [field, condition] of CONDITIONS) {
    const value = filter[field];
    if (value !== undefined) {
      w.add(value, condition, field === 'final' ? 'd' : field[0]);
    }
  }
  return { key: w.key, sql: w.sql, values: w.params };
}

/** A non-negative integer for a LIMIT or OFFSET literal (they come validated from the DTOs). */
function count(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`not a row count: ${n}`);
  }
  return n;
}

/**
 * One page, newest first with id as tie-break. LIMIT and OFFSET are literals: as parameters the
 * planner costs a generic plan for 10% of the rows, far above a custom plan's cost for 20 rows,
 * and the plan cache then plans every call again. The first page (a job's newest runs, the hot
 * path) is a named statement per filter combination and page size, so after five executions on a
 * connection PostgreSQL reuses a generic plan (Merge Append over the partitions' indexes, pruned
 * at run time on started_at) and skips planning over every partition. Deeper pages stay unnamed,
 * so a connection never accumulates one statement per offset.
 */
export function pageQuery(filter: ExecutionFilter, offset: number, limit: number): HistoryQuery {
  const w = where(filter);
  const text = `SELECT ${COLUMNS} FROM job_executions ${w.sql}
      ORDER BY started_at DESC, id DESC LIMIT ${count(limit)} OFFSET ${count(offset)}`;
  return offset === 0
    ? { name: `executions_page_${w.key}_${limit}`, text, values: w.values }
    : { text, values: w.values };
}

/** The exact number of executions matching `filter` (an index-only scan per partition). */
export function countQuery(filter: ExecutionFilter): HistoryQuery {
  const w = where(filter);
  return {
    name: `executions_count_${w.key}`,
    text: `SELECT count(*) AS total FROM job_executions ${w.sql}`,
    values: w.values,
  };
}

/** One execution by id (its primary key is (id, started_at): one index probe per partition). */
export function byIdQuery(id: string): HistoryQuery {
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
