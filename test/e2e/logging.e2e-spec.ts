import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { forExecution } from '../../src/core/logging/execution-logger.js';
import { LOG_DESTINATION } from '../../src/core/logging/logging.module.js';
import { LogCapture } from '../support/log-capture.js';
import { createTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';

const POSTED_PASSWORD = 'posted-Password-0xC0FFEE';
const BEARER = 'bearer-value-that-must-not-be-logged';

describe('structured logs', () => {
  const capture = new LogCapture();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug' },
      override: (b) => b.overrideProvider(LOG_DESTINATION).useValue(capture),
    });
  });

  afterAll(async () => {
    await t?.close();
    // Checked last, over every line of the file, startup and shutdown included.
    const all = capture.lines.join('\n');
    expect(capture.lines.length).toBeGreaterThan(0);
    for (const secret of [TEST_ENV.JWT_SECRET, POSTED_PASSWORD, BEARER]) {
      expect(all).not.toContain(secret);
    }
  });

  it('writes the request id on the access line of that request and echoes it', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/api/stats/system')
      .set('X-Request-Id', 'log-test-req-0001')
      .set('Authorization', `Bearer ${BEARER}`)
      .set('Cookie', `session=${BEARER}`);
    expect(res.headers['x-request-id']).toBe('log-test-req-0001');
    const line = capture.records().find((r) => r.requestId === 'log-test-req-0001');
    expect(line).toMatchObject({
      msg: 'request completed',
      req: { id: 'log-test-req-0001', url: '/api/stats/system' },
      res: { statusCode: res.status },
    });
    expect(line?.req.headers.authorization).toBe('[redacted]');
    expect(line?.req.headers.cookie).toBe('[redacted]');
  });

  it('makes up a request id when none (or a malformed one) is given', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/api/unknown-route')
      .set('X-Request-Id', 'bad id with spaces {}')
      .expect(404);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(capture.records().some((r) => r.requestId === id && r.res?.statusCode === 404)).toBe(
      true,
    );
  });

  it('does not log probes or scrapes, but still gives them a request id', async () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
      const id = `log-test-probe-${path.replaceAll('/', '-')}`;
      const res = await request(t.app.getHttpServer()).get(path).set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toBe(id);
      expect(capture.records().filter((r) => r.requestId === id)).toEqual([]);
    }
  });

  it('never logs a posted password (bodies are not logged)', async () => {
    await request(t.app.getHttpServer())
      .post('/api/auth/login')
      .set('X-Request-Id', 'log-test-login')
      .send({ username: 'admin', password: POSTED_PASSWORD });
    expect(capture.records().some((r) => r.requestId === 'log-test-login')).toBe(true);
  });

  it('puts job and execution ids on scheduler lines and redacts secrets in extra fields', () => {
    const log = forExecution(new Logger('Dispatcher'), {
      jobId: 'job-42',
      executionId: 'exec-7',
      attempt: 2,
    });
    log.log('attempt started', { target: { headers: { authorization: `Bearer ${BEARER}` } } });
    log.warn('target answered 500', { password: POSTED_PASSWORD, token: BEARER });
    const lines = capture.records().filter((r) => r.executionId === 'exec-7');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      msg: 'attempt started',
      context: 'Dispatcher',
      jobId: 'job-42',
      attempt: 2,
      level: 30,
    });
    expect(lines[1]).toMatchObject({ level: 40, password: '[redacted]', token: '[redacted]' });
  });
});
