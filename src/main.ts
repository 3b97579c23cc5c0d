import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from './core/database/embedded-postgres.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e));
  }
  let embedded: EmbeddedPostgresHandle | undefined;
  if (config.database.embedded) {
    embedded = await startEmbeddedPostgres(
      config.database.embeddedDataDir,
      config.database.embeddedPort,
    );
    config.database.url = embedded.url;
  }
  const app = await NestFactory.create(AppModule.register(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app, config);
  const log = new Logger('Bootstrap');
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.log(`${signal} received: draining and shutting down`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal));
  }
  await app.listen(config.port);
  log.log(
    `listening on :${config.port}; database: ${
      embedded
        ? `embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort} (data in ${config.database.embeddedDataDir})`
        : 'DB_CONNECTION_STRING'
    }`,
  );
}

void bootstrap().catch((e: unknown) =>
  fail(`startup failed: ${e instanceof Error ? e.message : String(e)}`),
);
