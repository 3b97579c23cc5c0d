import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import type { AppConfig } from './config/app-config.js';
import { CONSOLE_PATH, consoleAssets } from './core/http/console-assets.js';
import { jsonInputLimits } from './core/http/json-limits.js';
import { requestContextMiddleware } from './core/http/request-context.js';
import { requestIdMiddleware } from './core/http/request-id.middleware.js';
import { requestPacing } from './core/http/request-pacing.js';

/**
 * A client gets REQUEST_TIMEOUT_MS to send its whole request (slow-loris protection); the handler
 * side of the same budget is TimeoutInterceptor. Node answers 408 and closes the socket.
 */
function limitSlowClients(server: Server, ms: number): void {
  server.requestTimeout = ms;
  server.headersTimeout = Math.min(server.headersTimeout, ms);
}

/**
 * HTTP-level setup shared by main.ts and the e2e tests, so tests exercise the same stack:
 * logger, helmet, CORS, compression, body limit, proxy trust and Swagger.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  app.useLogger(app.get(Logger));
  express.set('trust proxy', config.http.trustProxy);
  express.disable('x-powered-by');
  // Every JSON body carries its own timestamp, so an ETag (a SHA-1 of the whole body per
  // response) could never match a later If-None-Match. Swagger UI's static files keep theirs.
  express.set('etag', false);
  // A larger body is 413 (mapped in the exception filter); a deeper one, or one with NUL
  // characters, is 400 (json-limits.ts).
  // First: a burst of requests must not hold the event loop the scheduler's timers run on.
  app.use(requestPacing());
  app.use(requestIdMiddleware());
  express.useBodyParser('json', { limit: config.http.bodyLimit });
  app.use(jsonInputLimits());
  app.use(requestContextMiddleware());
  limitSlowClients(app.getHttpServer() as Server, config.http.requestTimeoutMs);
  // Swagger UI ships inline scripts and styles; the console ships none (style attributes only),
  // so its pages get a policy without 'unsafe-inline' scripts.
  const swaggerHelmet = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  const consoleHelmet = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
      },
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path === CONSOLE_PATH || req.path.startsWith(`${CONSOLE_PATH}/`)
      ? consoleHelmet
      : swaggerHelmet)(req, res, next),
  );
  app.use(compression());
  app.use(consoleAssets());
  const origins = config.http.allowedOrigins;
  app.enableCors({
    origin: origins === '*' ? '*' : origins,
    credentials: origins !== '*',
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'ETag', 'Idempotent-Replayed'],
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Job Scheduler API')
      .setDescription(
        'Stores jobs in PostgreSQL and runs them on time: cron, fixed interval, delayed and immediate.',
      )
      .setVersion('1.0.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      // Every operation needs the token unless it says otherwise (login does), so the Authorize
      // button applies to routes whose controllers forgot @ApiBearerAuth().
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api-docs', app, document, {
    jsonDocumentUrl: 'api-docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
