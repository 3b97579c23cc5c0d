import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Initial JavaScript (the entry and what the page preloads), gzipped: the console's budget. */
const BUDGET_BYTES = 300 * 1024;

/** How /ui is served: caching, the SPA fallback, the CSP, and the size budget of the build. */
describe('the console build served at /ui', () => {
  let t: TestApp;
  let dist: string;

  beforeAll(async () => {
    dist = ensureConsoleBuilt();
    t = await createTestApp();
  }, 240000);

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const indexHtml = () => readFileSync(join(dist, 'index.html'), 'utf8');
  const initialScripts = () =>
    [...indexHtml().matchAll(/(?:src|href)="\/ui\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);

  it('answers every console path with the page, revalidated each time', async () => {
    for (const path of [
      '/ui',
      '/ui/',
      '/ui/jobs/0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11',
      '/ui/sign-in',
    ]) {
      const res = await http().get(path).expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets as immutable and a missing asset as 404, not the page', async () => {
    const [entry] = initialScripts();
    const res = await http().get(`/ui/${entry}`).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toContain('javascript');
    const missing = await http().get('/ui/assets/nope-0000.js').expect(404);
    expect(missing.text).not.toContain('<div id="root">');
  });

  it('sends a CSP without inline scripts on the console, and keeps Swagger UI working', async () => {
    const csp = (await http().get('/ui/').expect(200)).headers['content-security-policy'];
    const scripts = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(scripts.split(' ')).toEqual(["'self'"]);
    expect(indexHtml()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const docs = (await http().get('/api-docs').expect(200)).headers['content-security-policy'];
    expect(docs).toContain("'unsafe-inline'");
  });

  it('keeps the initial JavaScript under 300 KB gzipped', () => {
    const scripts = initialScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce(
      (sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length,
      0,
    );
    expect(gzipped).toBeLessThan(BUDGET_BYTES);
  });

  it('loads no font, script or style from another origin', () => {
    const html = indexHtml();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const css = readFileSync(
      join(dist, /href="\/ui\/(assets\/[^"]+\.css)"/.exec(html)?.[1] ?? 'missing.css'),
      'utf8',
    );
    expect(css).not.toMatch(/url\((['"]?)(?:https?:)?\/\//);
    expect(css).not.toMatch(/@import/);
  });
});
