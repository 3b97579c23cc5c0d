import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchChromium } from '../support/chromium.js';
import { authed, createUser } from '../support/auth.js';
import { buildCreateJobDto, insertExecution } from '../support/factories.js';
import { ensureConsoleBuilt } from '../support/console-build.js';
import { HttpTargetServer } from '../support/http-target.js';
import { waitFor } from '../support/scheduler-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SHOTS = join(process.cwd(), 'test-artifacts', 'console');
const ADMIN = { username: 'console-admin', password: 'console-admin-password-1' };
const VIEWER = { username: 'console-viewer', password: 'console-viewer-password-1' };

/** What the animation wait reads of the page's document (the DOM's types are not in this compile). */
interface AnimatedDocument {
  getAnimations(): {
    playState: string;
    effect: { getComputedTiming(): { iterations?: number } } | null;
  }[];
}

/** What went wrong in the page: console errors, uncaught errors, failed or refused requests. */
class PageProblems {
  readonly problems: string[] = [];
  /** Responses the step provokes on purpose (a 400 from a bad cron), as "METHOD path status". */
  expected = new Set<string>();

  watch(page: Page): void {
    page.on('console', (m) => {
      // The browser logs every 4xx/5xx it receives; those are judged from the responses below.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        this.problems.push(`console: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // An EventSource closed by a page that is going away reports ERR_ABORTED: not a failure.
      if (!(r.url().includes('/api/events') && r.failure()?.errorText === 'net::ERR_ABORTED')) {
        this.problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
      }
    });
    page.on('response', (r) => {
      const key = `${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`;
      if (r.status() >= 400 && !this.expected.has(key)) {
        this.problems.push(`response: ${key}`);
      }
    });
  }
}

/**
 * The console in a real headless Chromium against the app (scheduler on) on a real port: the
 * journey of issue 17 — sign in, create an every-2-seconds job in the editor (its field errors
 * and live preview first), watch its runs arrive live, pause it with a note (firings stop),
 * resume it (they come back), backfill with a dry run, trigger it, bulk pause/resume from the
 * list, delete it; a viewer without write controls; an
 * expired session back at sign-in; axe on every screen; screenshots in test-artifacts/console.
 */
describe('the web console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await createTestApp({
      env: {
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        SCHEDULER_ENABLED: 'true',
        REPLICA_ID: 'console',
      },
    });
    await createUser(t.app, 'viewer', VIEWER.username, VIEWER.password);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 240000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
    await page.goto(`${base}/ui/`);
    await page.getByLabel('Username').fill(who.username);
    await page.locator('input[autocomplete="current-password"]').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  }

  /** axe-core on the current screen: no serious or critical violation. */
  async function accessible(page: Page, screen: string): Promise<void> {
    // Scanned mid-transition (a drawer sliding in, a badge fading), colours are blends that fail
    // the contrast check: wait until every finite animation has finished.
    await page.waitForFunction(() =>
      (globalThis as unknown as { document: AnimatedDocument }).document
        .getAnimations()
        .every(
          (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
        ),
    );
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => `${n.html} ${n.failureSummary ?? ''}`).join(' | ')}`,
      );
    expect(bad).toEqual([]);
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('admin: sign in, create an every-2-seconds job with its live preview, see runs live, pause/resume, backfill, trigger, delete', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const watch = new PageProblems();
    watch.watch(page);
    try {
      await page.goto(`${base}/ui/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await accessible(page, 'sign-in');
      await shot(page, 'sign-in');
      await signIn(page, ADMIN);
      await page.getByText('live', { exact: true }).waitFor();
      await accessible(page, 'overview');

      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('heading', { name: 'Jobs' }).waitFor();
      await accessible(page, 'jobs');
      await page.getByRole('link', { name: 'New job' }).click();
      await page.getByRole('heading', { name: 'New job' }).waitFor();
      await accessible(page, 'editor');

      // The API's message lands beside the field it names: first from the live preview as you
      // type (POST /api/jobs/preview, debounced), then from the save.
      await page.getByRole('textbox', { name: /^Name/ }).fill('every-2-seconds');
      watch.expected.add('POST /api/jobs/preview 400');
      watch.expected.add('POST /api/jobs 400');
      const refused = page.waitForResponse(
        (r) => r.url().includes('/api/jobs/preview') && r.status() === 400,
      );
      await page.getByLabel('Cron expression').fill('every two seconds');
      await refused;
      const cronField = page.getByLabel('Cron expression');
      await cronField.and(page.locator('[aria-invalid="true"]')).waitFor();
      await page.getByRole('status').filter({ hasText: 'No preview' }).waitFor();
      await page.getByRole('button', { name: 'Create job' }).click();
      await page.getByRole('alert').filter({ hasText: 'The job was not saved' }).waitFor();
      await cronField.and(page.locator('[aria-invalid="true"]')).waitFor();
      const described = (await cronField.getAttribute('aria-describedby')) ?? '';
      const errorText = await page
        .locator(`[id="${described.split(' ').find((id) => id.endsWith('-error'))}"]`)
        .textContent();
      expect(errorText).toMatch(/cron/i);
      await shot(page, 'editor-field-error');

      // Fixed, the preview shows the schedule in words and its next runs, two seconds apart.
      await cronField.fill('*/2 * * * * *');
      const draftRuns = page
        .getByRole('list', { name: 'Preview of the next runs' })
        .getByRole('listitem');
      await draftRuns.nth(4).waitFor();
      await page
        .getByTestId('preview-description')
        .filter({ hasText: /2 seconds/ })
        .waitFor();
      expect(await cronField.getAttribute('aria-invalid')).not.toBe('true');
      const [first, second] = await Promise.all(
        [0, 1].map((i) => draftRuns.nth(i).locator('p').first().textContent()),
      );
      expect(first).not.toBe(second);
      await page.getByLabel('Window end (your time zone)').waitFor();
      await page.getByLabel('Jitter (ms)').waitFor();
      await page.getByLabel('Run limit').waitFor();
      await page.getByRole('combobox', { name: 'Skip slots in calendars' }).waitFor();
      await accessible(page, 'editor (live preview)');
      await shot(page, 'editor-preview');
      watch.expected.delete('POST /api/jobs/preview 400');
      watch.expected.delete('POST /api/jobs 400');

      await page.getByRole('button', { name: 'Create job' }).click();
      await page.getByRole('heading', { name: 'every-2-seconds' }).waitFor();
      const jobUrl = page.url();
      const jobId = jobUrl.split('/').pop() ?? '';
      // Its preview: the next runs, two seconds apart.
      const nextRuns = page.getByRole('list', { name: 'Next runs' }).getByRole('listitem');
      await nextRuns.first().waitFor();
      expect(await nextRuns.count()).toBeGreaterThanOrEqual(5);

      // Runs arrive without a reload: the history table grows from the event stream.
      const completed = page.getByTestId('execution-row').filter({ hasText: 'completed' });
      await completed.nth(1).waitFor({ timeout: 20000 });
      expect(page.url()).toBe(jobUrl);
      await accessible(page, 'job');
      await shot(page, 'job');

      // Pause with a note: the page says so, and no scheduled run starts while paused.
      const runs = page.getByTestId('total-runs');
      await page.getByRole('button', { name: 'Pause' }).click();
      const pauseDialog = page.getByRole('dialog', { name: 'Pause every-2-seconds' });
      await pauseDialog.getByLabel('Note').fill('Upstream maintenance (e2e)');
      await accessible(page, 'pause dialog');
      await pauseDialog.getByRole('button', { name: 'Pause' }).click();
      const paused = page.getByRole('status', { name: 'Paused' });
      await paused.getByText('Note: Upstream maintenance (e2e)').waitFor();
      await paused.getByText(`by ${ADMIN.username}`).waitFor();
      await page.getByRole('button', { name: 'Resume' }).waitFor();
      await page.getByText('paused', { exact: true }).first().waitFor();
      await accessible(page, 'job (paused)');
      await shot(page, 'job-paused');
      // A run that started just before the pause may still finish; then the count stays put.
      await page.waitForTimeout(2500);
      const whilePaused = Number(await runs.textContent());
      await page.waitForTimeout(5000);
      expect(Number(await runs.textContent())).toBe(whilePaused);
      const admin = authed(request(t.app.getHttpServer()), await tokenOf(ADMIN));
      const pausedJob = (await admin.get(`/api/jobs/${jobId}`).expect(200)).body.data.job;
      expect(pausedJob).toMatchObject({ isActive: false, pauseNote: 'Upstream maintenance (e2e)' });
      const afterPause = await admin
        .get(`/api/jobs/${jobId}/executions`)
        .query({ limit: 100 })
        .expect(200);
      expect(
        afterPause.body.data.executions.filter(
          (e: { startedAt: string }) =>
            new Date(e.startedAt).getTime() >
            new Date(pausedJob.pausedAt as string).getTime() + 500,
        ),
      ).toEqual([]);

      // Resume: runs come again, live.
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.getByText('every-2-seconds resumed').waitFor();
      await paused.waitFor({ state: 'detached' });
      await until(async () => Number(await runs.textContent()) >= whilePaused + 2, 20000);

      await page.getByRole('button', { name: 'Trigger' }).click();
      await page.getByText('every-2-seconds triggered').waitFor();
      await page
        .getByTestId('execution-row')
        .filter({ hasText: 'manual' })
        .first()
        .waitFor({ timeout: 15000 });

      // Backfill: a range the API refuses says why beside the field; a dry run lists the slots;
      // running them starts runs with trigger backfill.
      const minute = await page.evaluate(() => {
        const pad = (n: number) => String(n).padStart(2, '0');
        const at = (d: Date) =>
          `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
        const now = Date.now();
        return { from: at(new Date(now - 120_000)), to: at(new Date(now - 60_000)) };
      });
      await page.getByRole('button', { name: 'Backfill' }).click();
      const backfill = page.getByRole('dialog', { name: 'Backfill every-2-seconds' });
      await backfill.getByLabel('From').fill(minute.to);
      await backfill.getByLabel('To').fill(minute.from);
      watch.expected.add(`POST /api/jobs/${jobId}/backfill 400`);
      await backfill.getByRole('button', { name: 'Preview (dry run)' }).click();
      await backfill.getByText('to must be after from').waitFor();
      expect(await backfill.getByLabel('To').getAttribute('aria-invalid')).toBe('true');
      watch.expected.delete(`POST /api/jobs/${jobId}/backfill 400`);
      await backfill.getByLabel('From').fill(minute.from);
      await backfill.getByLabel('To').fill(minute.to);
      await backfill.getByRole('button', { name: 'Preview (dry run)' }).click();
      await backfill.getByText('Dry run: 31 slot(s) would run').waitFor();
      expect(
        await backfill.getByTestId('backfill-slots').getByRole('listitem').count(),
      ).toBeGreaterThan(1);
      await accessible(page, 'backfill dry run');
      await shot(page, 'backfill-dry-run');
      await backfill.getByRole('button', { name: 'Run 31 slot(s)' }).click();
      await page.getByText('Backfill of 31 slot(s) started for every-2-seconds').waitFor();
      await page
        .getByTestId('execution-row')
        .filter({ hasText: 'backfill' })
        .first()
        .waitFor({ timeout: 20000 });

      await page.getByRole('link', { name: 'Executions' }).click();
      await page.getByRole('heading', { name: 'Executions' }).waitFor();
      await page.getByTestId('execution-row').first().waitFor();
      await page.getByRole('button', { name: 'Details' }).first().click();
      await page.getByRole('dialog', { name: 'Execution' }).getByText('Output').waitFor();
      await accessible(page, 'execution-details');
      await page.keyboard.press('Escape');
      // Scanned mid-transition, the fading drawer title fails the contrast check.
      await page.getByRole('dialog', { name: 'Execution' }).waitFor({ state: 'hidden' });
      await accessible(page, 'executions');
      await shot(page, 'executions');

      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users' }).waitFor();
      await page.getByRole('cell', { name: VIEWER.username }).waitFor();
      await accessible(page, 'users');

      // Bulk pause from the list: the row says paused; bulk resume undoes it.
      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('heading', { name: 'Jobs' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'every-2-seconds' });
      await row.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Pause…' }).click();
      const bulkPause = page.getByRole('dialog', { name: 'Pause 1 job(s)' });
      await bulkPause.getByLabel('Note').fill('Paused from the list');
      await bulkPause.getByRole('button', { name: 'Pause' }).click();
      await page.getByText('pause: 1 done, 0 failed').waitFor();
      await row.getByText('paused', { exact: true }).waitFor();
      await accessible(page, 'jobs (a paused job)');
      await row.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.getByText('resume: 1 done, 0 failed').waitFor();
      await row.getByText('active', { exact: true }).waitFor();

      // Two admins on one job: the editor saves with If-Match of the version it opened, so a
      // change made behind its back (here through the API) is not overwritten: 412, the edits
      // stay on screen, and only a chosen reload discards them.
      await page.goto(`${jobUrl}/edit`);
      await page.getByRole('heading', { name: 'Edit every-2-seconds' }).waitFor();
      const description = page.getByRole('textbox', { name: 'Description' });
      await description.fill('Stale edit from the console');
      const api = authed(request(t.app.getHttpServer()), await tokenOf(ADMIN));
      const opened = (await api.get(`/api/jobs/${jobId}`).expect(200)).body.data.job.version;
      const behind = await api
        .put(`/api/jobs/${jobId}`)
        .send({ description: 'Changed behind the editor' })
        .expect(200);
      const current = behind.body.data.version as number;
      expect(current).toBeGreaterThan(opened);
      watch.expected.add(`PUT /api/jobs/${jobId} 412`);
      await page.getByRole('button', { name: 'Save changes' }).click();
      const conflict = page
        .getByRole('alert')
        .filter({ hasText: 'Not saved: someone else changed this job' });
      await conflict.getByText(`it is now at version ${current}`).waitFor();
      expect(await description.inputValue()).toBe('Stale edit from the console');
      expect(page.url()).toBe(`${jobUrl}/edit`);
      const unchanged = (await api.get(`/api/jobs/${jobId}`).expect(200)).body.data.job;
      expect(unchanged).toMatchObject({
        description: 'Changed behind the editor',
        version: current,
      });
      await accessible(page, 'editor (changed elsewhere)');
      await shot(page, 'editor-conflict');
      await conflict.getByRole('button', { name: /Reload the latest/ }).click();
      await conflict.waitFor({ state: 'detached' });
      expect(await description.inputValue()).toBe('Changed behind the editor');
      await description.fill('Saved after reloading');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(jobUrl);
      watch.expected.delete(`PUT /api/jobs/${jobId} 412`);
      const saved = (await api.get(`/api/jobs/${jobId}`).expect(200)).body.data.job;
      expect(saved).toMatchObject({ description: 'Saved after reloading', version: current + 1 });

      // The delete sends the version shown (If-Match): the one the page shows now.
      await page.getByText('Saved after reloading').first().waitFor();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Delete job' }).click();
      await page.getByRole('heading', { name: 'Jobs' }).waitFor();
      await page.getByText('every-2-seconds deleted').waitFor();
      const jobs = await authed(request(t.app.getHttpServer()), await tokenOf(ADMIN))
        .get('/api/jobs')
        .expect(200);
      expect(jobs.body.data.jobs.map((j: { name: string }) => j.name)).not.toContain(
        'every-2-seconds',
      );

      // Screens for the README: the overview with some history on it.
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.getByText(/^Runs and failures per/).waitFor();
      await shot(page, 'overview');
      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('heading', { name: 'Jobs' }).waitFor();
      await shot(page, 'jobs');

      expect(watch.problems).toEqual([]);
    } finally {
      await shot(page, 'admin-last').catch(() => undefined);
      await context.close();
    }
  }, 180000);

  it('viewer: sees jobs and runs without any write control; an expired token returns to sign-in', async () => {
    const admin = authed(request(t.app.getHttpServer()), await tokenOf(ADMIN));
    const created = await admin
      .post('/api/jobs')
      .send(buildCreateJobDto({ name: 'viewer-sees-this', cronExpression: '0 0 * * *' }))
      .expect(201);
    await admin
      .post(`/api/jobs/${created.body.data.id as string}/pause`)
      .send({ note: 'Viewer can read this' })
      .expect(200);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const watch = new PageProblems();
    watch.watch(page);
    try {
      await signIn(page, VIEWER);
      await page.getByRole('button', { name: 'Toggle navigation' }).click();
      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('link', { name: 'viewer-sees-this' }).waitFor();
      expect(await page.getByRole('link', { name: 'New job' }).count()).toBe(0);
      expect(await page.getByRole('checkbox').count()).toBe(0);
      expect(await page.getByRole('group', { name: 'Bulk actions' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
      await accessible(page, 'jobs (viewer, phone width)');
      await shot(page, 'viewer-jobs-phone');

      await page.getByRole('link', { name: 'viewer-sees-this' }).click();
      await page.getByRole('heading', { name: 'viewer-sees-this' }).waitFor();
      await page.getByText('Definition').waitFor();
      await page
        .getByRole('status', { name: 'Paused' })
        .getByText('Note: Viewer can read this')
        .waitFor();
      await page.getByRole('list', { name: 'Next runs' }).waitFor();
      for (const name of ['Trigger', 'Edit', 'Delete', 'Pause', 'Resume', 'Backfill']) {
        expect(await page.getByRole('button', { name }).count()).toBe(0);
        expect(await page.getByRole('link', { name }).count()).toBe(0);
      }
      await accessible(page, 'job (viewer)');
      expect(watch.problems).toEqual([]);

      // A token the API no longer accepts: the next request answers 401, the console goes back
      // to sign-in and says why.
      await page.evaluate(() => {
        const key = 'scheduler.session';
        const session = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<string, unknown>;
        sessionStorage.setItem(key, JSON.stringify({ ...session, token: 'revoked.token.value' }));
      });
      watch.expected.add('GET /api/jobs/' + (created.body.data.id as string) + ' 401');
      watch.expected.add('POST /api/events/ticket 401');
      watch.expected.add('GET /api/auth/me 401');
      await page.reload();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.getByText('Your session expired. Sign in again.').waitFor();
      const unexpected = watch.problems.filter((p) => !p.includes(' 401'));
      expect(unexpected).toEqual([]);
    } finally {
      await shot(page, 'viewer-last').catch(() => undefined);
      await context.close();
    }
  }, 120000);

  /**
   * A job targeting `failing` that alerts `channel`, triggered once: returns it once its
   * job.failed alert has reached `receiver`.
   */
  async function failOnce(
    admin: ReturnType<typeof authed>,
    name: string,
    channel: string,
    failing: HttpTargetServer,
    receiver: HttpTargetServer,
  ): Promise<{ id: string }> {
    const job = (
      await admin
        .post('/api/jobs')
        .send(
          buildCreateJobDto({
            name,
            cronExpression: '0 0 1 1 *',
            target: { type: 'http', url: failing.url('/export') },
            maxRetries: 0,
            alerts: { channels: [channel] },
          }),
        )
        .expect(201)
    ).body.data as { id: string };
    await admin.post(`/api/jobs/${job.id}/trigger`).expect(202);
    await waitFor(`the job.failed alert of ${name}`, () =>
      receiver.requests.some((r) => r.body.includes('"job.failed"') && r.body.includes(job.id)),
    );
    return job;
  }

  /** Polls `check` until it holds, failing after `ms`. */
  async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) {
        throw new Error(`not true within ${ms} ms`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * axe once the toasts are gone: a toast fading out is half transparent, and axe would judge its
   * text against whatever shows through.
   */
  async function scan(page: Page, screen: string): Promise<void> {
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) {
      await dismiss.click().catch(() => undefined);
    }
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached' });
    await accessible(page, screen);
  }

  it('admin: a calendar, a channel and its test, a replay from an alert, an API key seen once and revoked', async () => {
    const receiver = await new HttpTargetServer().start();
    const failing = await new HttpTargetServer({ status: 500 }).start();
    const admin = authed(request(t.app.getHttpServer()), await tokenOf(ADMIN));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const watch = new PageProblems();
    watch.watch(page);
    try {
      await signIn(page, ADMIN);

      // Calendars: the empty state, the editor with the API's field errors, the jobs using it.
      await page.getByRole('link', { name: 'Calendars' }).click();
      await page.getByRole('heading', { name: 'Calendars' }).waitFor();
      await page.getByText('No calendars yet').waitFor();
      await scan(page, 'calendars (empty)');
      await page.getByRole('link', { name: 'New calendar' }).click();
      await page.getByRole('heading', { name: 'New calendar' }).waitFor();
      await page.getByRole('textbox', { name: /^Name/ }).fill('Holidays 2026');
      const dates = page.getByRole('textbox', { name: 'Excluded dates' });
      const rangeTo = page.getByLabel('Range 1 to');
      const invalid = page.locator('[aria-invalid="true"]');
      await dates.fill('2026-12-25\n2026-12-32');
      await page.getByRole('button', { name: 'Add range' }).click();
      await page.getByLabel('Range 1 from').fill('2026-12-24T18:00');
      await rangeTo.fill('2026-12-27T06:00');
      watch.expected.add('POST /api/calendars 400');
      await page.getByRole('button', { name: 'Create calendar' }).click();
      await dates.and(invalid).waitFor();
      await page.getByText(/must be a date written YYYY-MM-DD/).waitFor();
      await scan(page, 'calendar editor (field errors)');
      await shot(page, 'calendar-field-errors');
      // The range rule is the service's (after the fields are valid): its message by the "to".
      await dates.fill('2026-12-25\n2026-12-26');
      await rangeTo.fill('2026-12-24T08:00');
      await page.getByRole('button', { name: 'Create calendar' }).click();
      await rangeTo.and(invalid).waitFor();
      await page.getByText('ranges.0.to must be after ranges.0.from').waitFor();
      watch.expected.delete('POST /api/calendars 400');
      await rangeTo.fill('2026-12-27T06:00');
      await page.getByRole('button', { name: 'Create calendar' }).click();
      await page.getByRole('heading', { name: 'Holidays 2026' }).waitFor();
      await page.getByText('No job excludes this calendar yet').waitFor();
      const calendarUrl = page.url();
      const calendarId = calendarUrl.split('/').pop() ?? '';
      const stored = (await admin.get(`/api/calendars/${calendarId}`).expect(200)).body.data;
      expect(stored.dates).toEqual(['2026-12-25', '2026-12-26']);
      expect(stored.ranges).toHaveLength(1);

      const job = (
        await admin
          .post('/api/jobs')
          .send(buildCreateJobDto({ name: 'holiday-aware', excludeCalendars: [calendarId] }))
          .expect(201)
      ).body.data;
      await page.reload();
      await page.getByRole('list', { name: 'Jobs excluding this calendar' }).waitFor();
      await page.getByRole('link', { name: 'holiday-aware' }).waitFor();
      await scan(page, 'calendar');
      await shot(page, 'calendar');
      // Deleting it while a job excludes it: refused, and the console says by whom.
      watch.expected.add(`DELETE /api/calendars/${calendarId} 409`);
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByRole('button', { name: 'Delete calendar' }).click();
      await page
        .locator('.mantine-Notification-root')
        .filter({ hasText: 'Not deleted' })
        .filter({ hasText: 'holiday-aware' })
        .waitFor();
      await admin.delete(`/api/jobs/${job.id}`).expect(200);
      await page.getByRole('dialog', { name: 'Delete Holidays 2026' }).waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByRole('button', { name: 'Delete calendar' }).click();
      await page.getByText('Calendar Holidays 2026 deleted').waitFor();
      await page.getByRole('heading', { name: 'Calendars' }).waitFor();
      await admin.get(`/api/calendars/${calendarId}`).expect(404);

      // Channels: create with a secret that is never shown back, send a test.
      const SECRET = 'console-channel-secret-0123456789';
      await page.getByRole('link', { name: 'Channels' }).click();
      await page.getByRole('heading', { name: 'Notification channels' }).waitFor();
      await page.getByText('No channels yet').waitFor();
      await scan(page, 'channels (empty)');
      await page.getByRole('button', { name: 'New channel' }).click();
      const dialog = page.getByRole('dialog', { name: 'New channel' });
      await dialog.getByRole('textbox', { name: /^Name/ }).fill('ops-hook');
      await dialog.getByRole('textbox', { name: /^URL/ }).fill(receiver.url('/hook'));
      await dialog.getByLabel('Signing secret').fill(SECRET);
      await scan(page, 'channel dialog');
      await dialog.getByRole('button', { name: 'Create channel' }).click();
      const row = page.getByTestId('channel-row').filter({ hasText: 'ops-hook' });
      await row.getByRole('cell', { name: 'set', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Edit ops-hook' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit ops-hook' });
      await edit.getByText('A secret is set (never shown)').waitFor();
      expect(await edit.getByLabel('Signing secret').inputValue()).toBe('');
      expect(await page.content()).not.toContain(SECRET);
      await edit.getByRole('button', { name: 'Cancel' }).click();
      await scan(page, 'channels');
      await shot(page, 'channels');
      await page.getByRole('button', { name: 'Send test to ops-hook' }).click();
      await page.getByText('Test queued for ops-hook').waitFor();
      await waitFor('the test delivery', () => receiver.requests.length > 0, 15000);
      const channelId = (await admin.get('/api/channels').expect(200)).body.data.channels[0].id;

      // The editor's Alerts: the channel picked by name, a window in minutes; the job's page
      // lists them and the API stored them in ms.
      const alerted = (
        await admin
          .post('/api/jobs')
          .send(buildCreateJobDto({ name: 'alerted-job', isActive: false }))
          .expect(201)
      ).body.data;
      await page.goto(`${base}/ui/jobs/${alerted.id}/edit`);
      await page.getByRole('heading', { name: 'Edit alerted-job' }).waitFor();
      await page.getByRole('combobox', { name: 'Alert channels' }).click();
      await page.getByRole('option', { name: 'ops-hook' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('textbox', { name: /No success within/ }).fill('90');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(`${base}/ui/jobs/${alerted.id}`);
      await page.getByRole('cell', { name: 'ops-hook', exact: true }).waitFor();
      await page.getByText('no success within 90 min').waitFor();
      const withAlerts = (await admin.get(`/api/jobs/${alerted.id}`).expect(200)).body.data.job;
      expect(withAlerts.alerts).toMatchObject({
        channels: [channelId],
        noSuccessWithinMs: 5_400_000,
      });
      await admin.delete(`/api/jobs/${alerted.id}`).expect(200);

      // A failing job alerting the channel: its job.failed alert offers a replay of the run.
      const flaky = await failOnce(admin, 'flaky-export', channelId, failing, receiver);
      await page.getByRole('link', { name: 'Notifications' }).click();
      await page.getByRole('heading', { name: 'Notifications' }).waitFor();
      const failedRow = page.getByTestId('notification-row').filter({ hasText: 'job.failed' });
      await failedRow.getByText('delivered').waitFor({ timeout: 15000 });
      await page
        .getByTestId('notification-row')
        .filter({ hasText: 'channel.test' })
        .getByText('delivered')
        .waitFor();
      await scan(page, 'notifications');
      await shot(page, 'notifications');
      await failedRow.getByRole('button', { name: 'Details' }).click();
      const details = page.getByRole('dialog', { name: 'Notification' });
      await details.getByText('flaky-export').first().waitFor();
      await scan(page, 'notification details');
      await details.getByRole('button', { name: 'Replay run' }).click();
      await page
        .getByRole('dialog', { name: 'Replay the failed run' })
        .getByRole('button', { name: 'Replay run' })
        .click();
      await page.getByText('Replay of flaky-export started').waitFor();
      const runs = await admin.get(`/api/jobs/${flaky.id}/executions`).expect(200);
      expect(runs.body.data.executions.map((e: { trigger: string }) => e.trigger)).toContain(
        'replay',
      );
      await page.keyboard.press('Escape');

      // API keys: the secret once, with a copy button and a warning; revoke.
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
      await page.getByText('No API keys yet').waitFor();
      await scan(page, 'api keys (empty)');
      await page.getByRole('textbox', { name: /^Name/ }).fill('ci-deploy');
      await page.getByRole('button', { name: 'Create key' }).click();
      const created = page.getByRole('dialog', { name: 'API key ci-deploy' });
      await created.getByText('This is the only time it is shown').waitFor();
      await created.getByRole('button', { name: 'Copy key' }).waitFor();
      const key = ((await created.getByTestId('new-api-key').textContent()) ?? '').trim();
      expect(key).toMatch(/^sk_/);
      await scan(page, 'api key created');
      await authed(request(t.app.getHttpServer()), key).get('/api/jobs').expect(200);
      await created.getByRole('button', { name: 'I have stored it' }).click();
      const keyRow = page.getByTestId('api-key-row').filter({ hasText: 'ci-deploy' });
      await keyRow.getByText('active').waitFor();
      expect(await page.content()).not.toContain(key);
      await scan(page, 'api keys');
      await shot(page, 'api-keys');
      await page.getByRole('button', { name: 'Revoke ci-deploy' }).click();
      await page.getByRole('button', { name: 'Revoke key' }).click();
      await keyRow.getByText('revoked').waitFor();
      await authed(request(t.app.getHttpServer()), key).get('/api/jobs').expect(401);

      expect(watch.problems).toEqual([]);
    } finally {
      await shot(page, 'admin-pages-last').catch(() => undefined);
      await context.close();
      await receiver.stop();
      await failing.stop();
    }
  }, 180000);

  it('viewer: calendars, channels and notifications without write controls; no admin pages', async () => {
    const admin = authed(request(t.app.getHttpServer()), await tokenOf(ADMIN));
    const calendar = (
      await admin
        .post('/api/calendars')
        .send({ name: 'viewer-calendar', timezone: 'UTC', dates: ['2026-12-25'] })
        .expect(201)
    ).body.data;
    const channel = (
      await admin
        .post('/api/channels')
        .send({ name: 'viewer-channel', type: 'webhook', url: 'http://127.0.0.1:9/none' })
        .expect(201)
    ).body.data;
    const job = (
      await admin
        .post('/api/jobs')
        .send(buildCreateJobDto({ name: 'viewer-failed-job', cronExpression: '0 0 1 1 *' }))
        .expect(201)
    ).body.data;
    // A job.failed alert in the outbox, as the ledger writes it (its run is what a replay needs).
    await t.dataSource.query(
      `INSERT INTO notifications (channel_id, job_id, event, payload, status, attempts, last_error)
       VALUES ($1, $2, 'job.failed', $3, 'failed', 3, 'connect ECONNREFUSED')`,
      [
        channel.id,
        job.id,
        JSON.stringify({
          event: 'job.failed',
          job: { id: job.id, name: 'viewer-failed-job' },
          execution: { id: calendar.id, status: 'failed' },
        }),
      ],
    );
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const watch = new PageProblems();
    watch.watch(page);
    const nav = async (name: string) => {
      await page.getByRole('button', { name: 'Toggle navigation' }).click();
      await page.getByRole('link', { name }).click();
    };
    try {
      await signIn(page, VIEWER);
      await page.getByRole('button', { name: 'Toggle navigation' }).click();
      for (const name of ['Calendars', 'Channels', 'Notifications']) {
        await page.getByRole('link', { name }).waitFor();
      }
      for (const name of ['Users', 'API keys']) {
        expect(await page.getByRole('link', { name }).count()).toBe(0);
      }
      await page.getByRole('button', { name: 'Toggle navigation' }).click();

      await nav('Calendars');
      await page.getByRole('link', { name: 'viewer-calendar' }).click();
      await page.getByRole('heading', { name: 'viewer-calendar' }).waitFor();
      await page.getByRole('list', { name: 'Excluded dates' }).getByText('2026-12-25').waitFor();
      expect(await page.getByRole('textbox').count()).toBe(0);
      await scan(page, 'calendar (viewer, phone width)');
      await nav('Calendars');
      await page.getByRole('heading', { name: 'Calendars' }).waitFor();
      expect(await page.getByRole('link', { name: 'New calendar' }).count()).toBe(0);
      await scan(page, 'calendars (viewer, phone width)');

      await nav('Channels');
      await page.getByTestId('channel-row').filter({ hasText: 'viewer-channel' }).waitFor();
      await scan(page, 'channels (viewer, phone width)');

      await nav('Notifications');
      const row = page.getByTestId('notification-row').filter({ hasText: 'viewer-failed-job' });
      await row.getByRole('button', { name: 'Details' }).click();
      await page.getByRole('dialog', { name: 'Notification' }).getByText('Attempts').waitFor();
      await scan(page, 'notification details (viewer, phone width)');
      await page.keyboard.press('Escape');

      for (const name of [
        'New calendar',
        'Delete',
        'Save calendar',
        'New channel',
        'Edit viewer-channel',
        'Send test to viewer-channel',
        'Delete viewer-channel',
        'Replay run',
      ]) {
        expect(await page.getByRole('button', { name }).count()).toBe(0);
      }
      await shot(page, 'viewer-notifications-phone');

      // Admin pages typed in by hand: a plain refusal, and no request for the keys.
      await page.goto(`${base}/ui/api-keys`);
      await page.getByRole('heading', { name: 'Only admins manage API keys.' }).waitFor();
      expect(watch.problems).toEqual([]);
    } finally {
      await shot(page, 'viewer-pages-last').catch(() => undefined);
      await context.close();
    }
  }, 120000);

  async function tokenOf(who: { username: string; password: string }): Promise<string> {
    const res = await request(t.app.getHttpServer()).post('/api/auth/login').send(who).expect(200);
    return res.body.data.accessToken as string;
  }

  // Last in the file: the channels, notifications and API keys it leaves behind would show in
  // the journeys above, which expect their own.
  it('shows the main screens with some history (README screenshots)', async () => {
    const receiver = await new HttpTargetServer().start();
    const failing = await new HttpTargetServer({ status: 500 }).start();
    const admin = authed(request(t.app.getHttpServer()), await tokenOf(ADMIN));
    /** POSTs `body` to `path` and returns the new resource's id. */
    const create = async (path: string, body: object): Promise<string> =>
      (await admin.post(path).send(body).expect(201)).body.data.id as string;
    const make = (body: Record<string, unknown>) => create('/api/jobs', buildCreateJobDto(body));
    const backup = await make({
      name: 'nightly-backup',
      description: 'Dumps the orders database to object storage',
      cronExpression: '30 2 * * *',
      timezone: 'America/New_York',
      tags: ['ops'],
    });
    await make({
      name: 'sync-orders',
      jobType: 'recurring',
      cronExpression: null,
      intervalMs: 300000,
    });
    await make({
      name: 'quarter-hour-report',
      cronExpression: '*/15 * * * *',
      timezone: 'Europe/Berlin',
    });
    await make({
      name: 'old-import',
      cronExpression: '0 0 1 * *',
      isActive: false,
      tags: ['legacy'],
    });
    // Six hours of history for the backup job: a few runs a minute, now and then a failure.
    const now = Date.now();
    const inserts: Promise<string>[] = [];
    for (let minute = 1; minute <= 360; minute++) {
      for (let k = 0; k < 1 + ((minute * 7) % 4); k++) {
        const startedAt = new Date(now - minute * 60_000 + k * 9000);
        const failed = (minute + k) % 23 === 0;
        const lag = 5 + ((minute * 13 + k * 29) % 60) + (minute % 45 === 0 ? 400 : 0);
        inserts.push(
          insertExecution(t.dataSource, {
            jobId: backup,
            startedAt,
            scheduledFor: new Date(startedAt.getTime() - lag),
            status: failed ? 'failed' : 'completed',
            errorMessage: failed ? 'HTTP 503 from storage.example.com' : null,
            durationMs: 800 + ((minute * 37 + k * 101) % 900),
            output: failed ? { status: 503 } : { status: 200, body: 'ok' },
          }),
        );
      }
    }
    await Promise.all(inserts);
    // The job's counters, as the ledger would have kept them.
    await t.dataSource.query(
      `UPDATE jobs j SET total_runs = e.n, successful_runs = e.ok, failed_runs = e.n - e.ok,
              last_run_at = e.last
         FROM (SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'completed')::int AS ok,
                      max(started_at) AS last
                 FROM job_executions WHERE job_id = $1) e
        WHERE j.id = $1`,
      [backup],
    );
    // Calendars, channels (one sent a test), a failing job alerting one, API keys.
    const holidays = await create('/api/calendars', {
      name: 'Public holidays 2026',
      description: 'No batch runs on bank holidays',
      timezone: 'Europe/Berlin',
      dates: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25'],
    });
    await create('/api/calendars', {
      name: 'Database maintenance',
      timezone: 'America/New_York',
      ranges: [{ from: '2026-03-07T22:00:00-05:00', to: '2026-03-08T04:00:00-04:00' }],
    });
    await admin
      .put(`/api/jobs/${backup}`)
      .send({ excludeCalendars: [holidays] })
      .expect(200);
    const hook = await create('/api/channels', {
      name: 'ops-webhook',
      type: 'webhook',
      url: receiver.url('/alerts'),
      secret: 'a-signing-secret-of-32-characters',
    });
    await create('/api/channels', {
      name: 'team-slack',
      type: 'slack',
      url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX',
    });
    await admin.post(`/api/channels/${hook}/test`).expect(202);
    await failOnce(admin, 'invoice-export', hook, failing, receiver);
    for (const [name, role] of [
      ['deploy-pipeline', 'admin'],
      ['grafana-reader', 'viewer'],
    ]) {
      await admin.post('/api/api-keys').send({ name, role }).expect(201);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const docs =
      process.env.UPDATE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'console') : null;
    const save = async (name: string): Promise<void> => {
      await shot(page, `readme-${name}`);
      if (docs) {
        mkdirSync(docs, { recursive: true });
        await page.screenshot({ path: join(docs, `${name}.png`) });
      }
    };
    try {
      await signIn(page, ADMIN);
      await page.getByText('HTTP 503 from storage.example.com').first().waitFor();
      await page.getByRole('link', { name: 'quarter-hour-report' }).first().waitFor();
      await save('overview');
      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('link', { name: 'nightly-backup' }).click();
      await page.getByTestId('execution-row').first().waitFor();
      await save('job');
      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByRole('heading', { name: 'Edit nightly-backup' }).waitFor();
      await page
        .getByRole('list', { name: 'Preview of the next runs' })
        .getByRole('listitem')
        .nth(4)
        .waitFor();
      await save('editor');
      await page.getByRole('link', { name: 'Executions' }).click();
      await page.getByTestId('execution-row').first().waitFor();
      await save('executions');
      await page.getByRole('link', { name: 'Jobs' }).click();
      await page.getByRole('link', { name: 'old-import' }).waitFor();
      await save('jobs');

      await admin
        .post(`/api/jobs/${backup}/pause`)
        .send({ note: 'Storage migration until Monday' })
        .expect(200);
      await page.getByRole('link', { name: 'nightly-backup' }).click();
      await page.getByRole('status', { name: 'Paused' }).waitFor();
      await page.getByTestId('execution-row').first().waitFor();
      await save('job-paused');
      await page.getByRole('link', { name: 'Calendars' }).click();
      await page.getByRole('link', { name: 'Database maintenance' }).waitFor();
      await save('calendars');
      await page.getByRole('link', { name: 'Channels' }).click();
      await page.getByTestId('channel-row').filter({ hasText: 'team-slack' }).waitFor();
      await save('channels');
      await page.getByRole('link', { name: 'Notifications' }).click();
      await page
        .getByTestId('notification-row')
        .filter({ hasText: 'invoice-export' })
        .getByText('delivered')
        .waitFor({ timeout: 15000 });
      await save('notifications');
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('cell', { name: 'grafana-reader', exact: true }).waitFor();
      await save('api-keys');
    } finally {
      await context.close();
      await receiver.stop();
      await failing.stop();
    }
  }, 120000);
});
