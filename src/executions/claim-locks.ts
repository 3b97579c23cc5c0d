import type { EntityManager } from 'typeorm';

/**
 * The lock preamble of a batch claim (pending runs, backfill slots): locks the queue rows
 * `dueSql` selects (`id, job_id`, `$1` the limit, ending in FOR UPDATE SKIP LOCKED), then their
 * jobs in id order (so concurrent claimers cannot deadlock). Rows and jobs another replica holds
 * are skipped, never waited for. Null when nothing is left to claim.
 */
export async function lockDueAndJobs(
  em: EntityManager,
  dueSql: string,
  limit: number,
): Promise<{ dueIds: string[]; jobIds: string[] } | null> {
  const due: { id: string; job_id: string }[] = await em.query(dueSql, [limit]);
  if (due.length === 0) {
    return null;
  }
  const jobs: { id: string }[] = await em.query(
    `SELECT id FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
    [[...new Set(due.map((d) => d.job_id))]],
  );
  if (jobs.length === 0) {
    return null;
  }
  return { dueIds: due.map((d) => d.id), jobIds: jobs.map((j) => j.id) };
}
