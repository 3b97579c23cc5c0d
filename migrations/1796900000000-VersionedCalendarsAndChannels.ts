import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns whose change is a new version of each resource (what PUT can change). */
const VERSIONED: Record<string, string[]> = {
  calendars: ['name', 'description', 'timezone', 'dates', 'range_starts', 'range_ends'],
  notification_channels: ['name', 'type', 'url', 'secret'],
};

/**
 * Optimistic concurrency for calendars and notification channels (issue 18, design 7.5), as
 * jobs have it: a `version` bumped, with `updated_at`, by a BEFORE UPDATE trigger that fires only
 * when a definition column changes, so an update that changes nothing keeps both and whoever
 * writes the row (the API, SQL by hand) moves the version. The ETag and If-Match checks read it.
 */
export class VersionedCalendarsAndChannels1796900000000 implements MigrationInterface {
  name = 'VersionedCalendarsAndChannels1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        NEW.updated_at := now();
        RETURN NEW;
      END $$`);
    for (const [table, columns] of Object.entries(VERSIONED)) {
      const tuple = (p: string): string => `(${columns.map((c) => `${p}.${c}`).join(', ')})`;
      await q.query(`ALTER TABLE ${table} ADD COLUMN version integer NOT NULL DEFAULT 1`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ck_${table}_version CHECK (version >= 1)`);
      await q.query(`
        CREATE TRIGGER tr_${table}_version BEFORE UPDATE ON ${table}
        FOR EACH ROW WHEN (${tuple('OLD')} IS DISTINCT FROM ${tuple('NEW')})
        EXECUTE FUNCTION bump_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(VERSIONED)) {
      await q.query(`DROP TRIGGER IF EXISTS tr_${table}_version ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ck_${table}_version`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN IF EXISTS version`);
    }
    await q.query(`DROP FUNCTION IF EXISTS bump_version()`);
  }
}
