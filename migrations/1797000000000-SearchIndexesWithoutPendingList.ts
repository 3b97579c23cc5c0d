import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The GIN indexes the job list searches and filters with. */
const LIST_GIN_INDEXES = ['ix_jobs_text_trgm', 'ix_jobs_tags'];

/**
 * GIN's fast update puts new entries in a pending list that every search reads in full until
 * VACUUM (or 4 MB of them) merges it into the index. The job list is read far more often than
 * jobs are created, and `bench:api` showed the cost: after a few thousand creates, search and
 * tag filters ran 3-5x slower (floor and ours alike) until autovacuum came round. With fast
 * update off a create writes its entries into the index itself (a little more work per insert)
 * and a search reads the index only. The pending list already there is merged now.
 */
export class SearchIndexesWithoutPendingList1797000000000 implements MigrationInterface {
  name = 'SearchIndexesWithoutPendingList1797000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of LIST_GIN_INDEXES) {
      await q.query(`ALTER INDEX ${index} SET (fastupdate = off)`);
      await q.query(`SELECT gin_clean_pending_list($1::regclass)`, [index]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of LIST_GIN_INDEXES) {
      await q.query(`ALTER INDEX ${index} RESET (fastupdate)`);
    }
  }
}
