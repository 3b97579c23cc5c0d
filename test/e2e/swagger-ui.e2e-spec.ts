import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchChromium } from '../support/chromium.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const ADMIN = { username: 'swagger-admin', password: 'swagger-admin-password-1' };

/**
 * Swagger UI in a real headless Chromium against the app on a real port: log in, paste the
 * token into Authorize, "Try it out" on GET /api/jobs, Execute, and see the 200 the browser got.
 * Needs the API (GET /api/jobs) and auth (POST /api/auth/login) modules.
 */
describe('Swagger UI in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
    });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('authorizes with a token and runs "Try it out" on GET /api/jobs with a 200', async () => {
    const login = await request(t.app.getHttpServer()).post('/api/auth/login').send(ADMIN);
    // The contract fixes the body, not the status of a successful login.
    expect([200, 201]).toContain(login.status);
    const token: string = login.body.data.accessToken;
    expect(token).toEqual(expect.any(String));

    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    try {
      await page.goto(`${baseUrl}/api-docs`, { waitUntil: 'domcontentloaded' });
      await page.locator('button.authorize').first().click({ timeout: 30000 });
      await page.locator('input[aria-label="auth-bearer-value"]').fill(token);
      await page.locator('.auth-btn-wrapper button.authorize').click();
      await page.locator('.auth-btn-wrapper button.btn-done').click();

      const operation = page.locator('.opblock-get').filter({
        has: page.locator('.opblock-summary-path[data-path="/api/jobs"]'),
      });
      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('button.execute').click();

      const status = operation
        .locator('.live-responses-table tr.response .response-col_status')
        .first();
      await status.waitFor({ timeout: 30000 });
      expect((await status.textContent())?.trim()).toBe('200');
      // The browser really sent the pasted token (Swagger UI shows the request as curl).
      await expect(operation.locator('.curl-command').textContent()).resolves.toContain(
        `Authorization: Bearer ${token}`,
      );
    } finally {
      // Kept on failure too: the picture of what the browser showed is the best diagnosis.
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui-try-it-out.png'), fullPage: true });
      await page.close();
    }
  }, 120000);
});
