/**
 * SQL fragments ExecutionsModule publishes for statements other modules run against its tables
 * (ARCHITECTURE.md lists them). One definition each, so the engine's checks cannot drift apart.
 */

/**
 * Whether a run of the job `jobId` (an SQL expression, e.g. `j.id`) is running on any replica:
 * an index probe of the partial index on running rows in each partition.
 */
export const runningRunOf = (jobId: string): string =>
  `EXISTS (SELECT 1 FROM job_executions e WHERE e.job_id = ${jobId} AND e.status = 'running')`;
