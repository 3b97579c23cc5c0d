import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream, TransportSingleOptions } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { requestId } from '../http/request-id.middleware.js';
import { redactPaths } from './redaction.js';

/**
 * Where log lines go. `null` (the default) is pino's fast stdout writer; a test overrides this
 * provider with its own stream to read what was logged.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * Human-readable output in development only, and only if pino-pretty (a dev dependency) is
 * installed: production never loads it, and an `--omit=dev` install falls back to JSON.
 */
function prettyTransport(config: AppConfig): TransportSingleOptions | undefined {
  if (!config.log.pretty) {
    return undefined;
  }
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } };
}

export function buildLoggerParams(
  config: AppConfig,
  destination: DestinationStream | null,
): Params {
  const options = {
    level: config.log.level,
    genReqId: requestId,
    redact: { paths: redactPaths(), censor: '[redacted]' },
    // Response headers are ours (helmet, CORS) and identical on every line: status only.
    serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    autoLogging: {
      // Probes and scrapes arrive every few seconds from every kubelet and Prometheus.
      ignore: (req: IncomingMessage) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? ''),
    },
    // Top-level on every line logged while serving a request, including the access line.
    customProps: (req: IncomingMessage) => ({
      requestId: (req as IncomingMessage & { id?: unknown }).id,
      replica: config.scheduler.replicaId,
    }),
    transport: destination ? undefined : prettyTransport(config),
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // Probes and scrapes are never logged (autoLogging.ignore above covers any other path
    // to them); without pino-http at all they also skip building a redacted per-request child
    // logger, a fifth of what a probe costs. Nothing on these routes logs.
    exclude: [
      { path: 'health', method: RequestMethod.ALL },
      { path: 'health/{*rest}', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
  };
}

@Global()
@Module({
  providers: [{ provide: LOG_DESTINATION, useValue: null }],
  exports: [LOG_DESTINATION],
})
class LogDestinationModule {}

/** Structured JSON logs (pino) with request ids and redaction; pretty in development only. */
@Module({
  imports: [
    LogDestinationModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: buildLoggerParams,
    }),
  ],
})
export class LoggingModule {}
