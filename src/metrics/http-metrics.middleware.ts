import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/**
 * Times every HTTP request. The `route` label is the matched route template
 * (`/api/jobs/:id`), never the raw URL, so ids and query strings cannot explode the series
 * count; requests that matched no route share the label `unmatched`.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    // Nest mounts this middleware as a catch-all route, which sets `req.route` to itself; a
    // request that matches a controller route replaces it, one that matches nothing does not.
    const own: unknown = req.route;
    res.once('finish', () => {
      const matched: unknown = req.route === own ? undefined : req.route;
      const route = (matched as { path?: unknown } | undefined)?.path;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observeHttp(
        req.method,
        typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched',
        res.statusCode,
        seconds,
      );
    });
    next();
  }
}
