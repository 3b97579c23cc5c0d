import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { AuditActor } from '../../src/audit/audit.types.js';
import { LOG_DESTINATION } from '../../src/core/logging/logging.module.js';
import { authed, createUser } from '../support/auth.js';
import { buildCreateJobDto, insertExecution } from '../support/factories.js';
import { LogCapture } from '../support/log-capture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface AuditRow {
  action: string;
  resource_type: string;
  resource_id: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  request_id: string | null;
  changes: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

type Api = ReturnType<typeof authed>;

/**
 * Issue 18's audit contract, end to end, once as a signed-in user and once as an API key: every
 * audited action writes exactly one row, naming the caller, with the changed fields; no secret
 * reaches an audit row or a log line.
 */
describe('audit trail: every audited action, as a user and as an API key', () => {
  const logs = new LogCapture();
  const secrets: string[] = [];
  let t: TestApp;
  let admin: Api;
  let audit: string;

  const as = (token: string): Api => authed(request(t.app.getHttpServer()), token);
  const secret = (label: string): string => {
    const s = `${label}-never-logged-${secrets.length}-0123456789`;
    secrets.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug' },
      override: (b) => b.overrideProvider(LOG_DESTINATION).useValue(logs),
    });
    const { TokenService } = await import('../../src/auth/token.service.js');
    admin = as(await t.app.get(TokenService).sign(await createUser(t.app, 'admin')));
  });

  afterAll(async () => {
    if (t) {
      audit = (
        await t.dataSource.query<{ c: string }[]>(`SELECT audit_log::text AS c FROM audit_log`)
      )
        .map((r) => r.c)
        .join('\n');
      await t.close();
    }
    // Checked last, over every audit row and every log line of the file.
    expect(audit).toContain('[redacted]');
    expect(logs.text()).toContain('/api/channels');
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const s of secrets) {
      expect(audit).not.toContain(s);
      expect(logs.text()).not.toContain(s);
    }
  });

  /** A caller of the given kind with the admin role, and how the audit trail names it. */
  const caller = async (kind: AuditActor['type']): Promise<{ api: Api; actor: AuditActor }> => {
    if (kind === 'user') {
      const password = secret('user-password');
      const user = await createUser(t.app, 'admin', undefined, password);
      const login = await request(t.app.getHttpServer())
        .post('/api/auth/login')
        .send({ username: user.username, password })
        .expect(200);
      return {
        api: as(login.body.data.accessToken as string),
        actor: { type: 'user', id: user.id, name: user.username },
      };
    }
    const res = await admin.post('/api/api-keys').send({ name: 'ci', role: 'admin' }).expect(201);
    secrets.push((res.body.data.key as string).slice(12));
    return {
      api: as(res.body.data.key as string),
      actor: { type: 'api_key', id: res.body.data.id, name: res.body.data.prefix },
    };
  };

  it.each(['user', 'api_key'] as const)(
    'writes one row per action, naming the %s',
    async (kind) => {
      const { api, actor } = await caller(kind);
      const expected: [string, string, string][] = [];
      const did = (action: string, type: string, id: string): void => {
        expected.push([action, type, id]);
      };

      const body = buildCreateJobDto({
        description: 'first',
        cronExpression: '0 * * * *',
        concurrencyPolicy: 'allow',
        payload: { token: secret('payload-token') },
      });
      const job = (await api.post('/api/jobs').send(body).expect(201)).body.data.id as string;
      did('job.create', 'job', job);
      await api.put(`/api/jobs/${job}`).send({ description: 'second' }).expect(200);
      did('job.update', 'job', job);
      await api.post(`/api/jobs/${job}/pause`).send({ note: 'maintenance' }).expect(200);
      did('job.pause', 'job', job);
      await api.post(`/api/jobs/${job}/resume`).expect(200);
      did('job.resume', 'job', job);
      const run = (await api.post(`/api/jobs/${job}/trigger`).expect(202)).body.data;
      did('job.trigger', 'job', job);
      await api
        .post('/api/jobs/bulk')
        .send({ jobIds: [job], operation: 'deactivate' })
        .expect(200);
      did('job.bulk_deactivate', 'job', job);
      await api
        .post('/api/jobs/bulk')
        .send({ jobIds: [job], operation: 'activate' })
        .expect(200);
      did('job.bulk_activate', 'job', job);
      const dead = await insertExecution(t.dataSource, {
        jobId: job,
        status: 'failed',
        finalFailure: true,
        errorMessage: 'boom',
        startedAt: new Date(Date.now() - 3_600_000),
      });
      const replay = (await api.post(`/api/executions/${dead}/replay`).expect(202)).body.data;
      did('job.replay', 'job', job);
      const range = {
        from: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        to: new Date(Date.now() - 60_000).toISOString(),
      };
      const backfill = (await api.post(`/api/jobs/${job}/backfill`).send(range).expect(202)).body
        .data;
      did('job.backfill', 'job', job);
      await api.post(`/api/jobs/${job}/backfills/${backfill.backfillId}/cancel`).expect(200);
      did('job.backfill_cancel', 'job', job);
      await api.delete(`/api/jobs/${job}`).expect(200);
      did('job.delete', 'job', job);

      /** Create, update and delete through the API: one row each. */
      const crud = async (type: string, route: string, create: object, update: object) => {
        const id = (await api.post(route).send(create).expect(201)).body.data.id as string;
        did(`${type}.create`, type, id);
        await api.put(`${route}/${id}`).send(update).expect(200);
        did(`${type}.update`, type, id);
        await api.delete(`${route}/${id}`).expect(200);
        did(`${type}.delete`, type, id);
      };
      await crud(
        'calendar',
        '/api/calendars',
        { name: `holidays ${kind}`, timezone: 'UTC', dates: ['2030-12-25'] },
        { dates: ['2030-12-26'] },
      );
      await crud(
        'channel',
        '/api/channels',
        { name: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: secret('channel') },
        { secret: secret('rotated-channel') },
      );
      await crud(
        'user',
        '/api/users',
        { username: `audited-${kind}`, password: secret('new-user-pw'), role: 'viewer' },
        { password: secret('changed-user-pw') },
      );

      const key = (
        await api.post('/api/api-keys').send({ name: 'made', role: 'viewer' }).expect(201)
      ).body.data;
      secrets.push((key.key as string).slice(12));
      did('api_key.create', 'api_key', key.id);
      await api.delete(`/api/api-keys/${key.id}`).expect(200);
      did('api_key.revoke', 'api_key', key.id);

      const ids = [...new Set(expected.map(([, , id]) => id))];
      const rows = await t.dataSource.query<AuditRow[]>(
        `SELECT action, resource_type, resource_id::text, actor_type, actor_id::text, actor_name,
              request_id, changes
       FROM audit_log WHERE resource_id = ANY($1::uuid[]) ORDER BY at, id`,
        [ids],
      );
      expect(rows.map((r) => [r.action, r.resource_type, r.resource_id])).toEqual(expected);
      for (const r of rows) {
        expect({ type: r.actor_type, id: r.actor_id, name: r.actor_name }).toEqual(actor);
        expect(r.request_id).toEqual(expect.any(String));
      }
      const changes = (action: string): AuditRow['changes'] =>
        rows.find((r) => r.action === action)!.changes;
      expect(changes('job.create')).toMatchObject({
        before: null,
        after: { description: 'first', payload: { token: '[redacted]' }, version: 1 },
      });
      expect(changes('job.update')).toEqual({
        before: { description: 'first', version: 1 },
        after: { description: 'second', version: 2 },
      });
      expect(changes('job.pause').after).toMatchObject({
        isActive: false,
        pauseNote: 'maintenance',
      });
      expect(changes('job.resume').after).toMatchObject({ isActive: true, pauseNote: null });
      expect(changes('job.trigger')).toEqual({
        before: null,
        after: { executionId: run.executionId, triggeredAt: expect.any(String) },
      });
      expect(changes('job.bulk_deactivate').after).toMatchObject({ isActive: false });
      expect(changes('job.replay')).toEqual({
        before: null,
        after: { executionId: replay.executionId, replayOf: dead, triggeredAt: expect.any(String) },
      });
      expect(changes('job.backfill')).toEqual({
        before: null,
        after: { backfillId: backfill.backfillId, ...range, slots: backfill.slots.length },
      });
      expect(changes('job.backfill_cancel').after).toEqual({ backfillId: backfill.backfillId });
      expect(changes('job.delete')).toMatchObject({ before: { version: 6 }, after: null });
      expect(changes('calendar.update')).toEqual({
        before: { dates: ['2030-12-25'], version: 1 },
        after: { dates: ['2030-12-26'], version: 2 },
      });
      expect(changes('channel.update')).toEqual({
        before: { secret: '[redacted]', version: 1 },
        after: { secret: '[redacted]', version: 2 },
      });
      expect(changes('user.update')).toEqual({
        before: { passwordHash: '[redacted]' },
        after: { passwordHash: '[redacted]' },
      });
      expect(changes('api_key.revoke')).toEqual({
        before: { revokedAt: null },
        after: { revokedAt: expect.any(String) },
      });
    },
  );
});
