import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from './config/app-config.js';

/**
 * HTTP-level setup shared by main.ts and the e2e tests, so tests exercise the same stack:
 * logger, helmet, CORS, compression, body limit, proxy trust and Swagger.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  app.useLogger(app.get(Logger));
  express.set('trust proxy', config.http.trustProxy);
  express.disable('x-powered-by');
  express.useBodyParser('json', { limit: config.http.bodyLimit });
  app.use(
    helmet({
      // Swagger UI ships inline scripts and styles.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'", "'unsafe-inline'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );
  app.use(compression());
  const origins = config.http.allowedOrigins;
  app.enableCors({
    origin: origins === '*' ? '*' : origins,
    credentials: origins !== '*',
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
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
      .build(),
  );
  SwaggerModule.setup('api-docs', app, document, {
    jsonDocumentUrl: 'api-docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
