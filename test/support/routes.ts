import type { INestApplication } from '@nestjs/common';

export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: string;
}

interface Layer {
  route?: { path: string; stack: { method?: string }[] };
}

/**
 * Every route the running app serves under /api, read from Express's router, so a route added
 * later is covered by the auth tests without anyone listing it.
 */
export function apiRoutes(app: INestApplication): RouteInfo[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  const out: RouteInfo[] = [];
  for (const layer of express.router.stack) {
    const path = layer.route?.path;
    if (!path || !(path === '/api' || path.startsWith('/api/'))) {
      continue;
    }
    for (const { method } of layer.route!.stack) {
      if (method && method !== '_all') {
        out.push({ method: method.toUpperCase() as RouteInfo['method'], path });
      }
    }
  }
  return out;
}

export const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** A concrete URL for a route pattern: every `:param` becomes a well-formed UUID. */
export function concretePath(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, SAMPLE_ID);
}

export const isWrite = (r: RouteInfo): boolean => r.method !== 'GET' && r.method !== 'HEAD';
