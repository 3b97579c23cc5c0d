import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AuditUpkeepService } from '../../src/audit/audit-upkeep.service.js';
import { authed, createUser, tokenFor } from '../support/auth.js';
import { buildCreateJobDto } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface AuditRow {
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  resource_type: string;
  resource_id: string;
  request_id: string | null;
  changes: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

describe('audit trail', () => {
  let t: TestApp;
  let admin: ReturnType<typeof authed>;
  let adminName: string;
  let adminId: string;

  /** Every audit row of a resource, oldest first, read straight from the table. */
  const rowsOf = (resourceId: string): Promise<AuditRow[]> =>
    t.dataSource.query(
      `SELECT action, actor_type, actor_id, actor_name, resource_type, resource_id::text,
              request_id, changes
       FROM audit_log WHERE resource_id = $1 ORDER BY at, id`,
      [resourceId],
    );
  const countAll = async (): Promise<number> =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_log`))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ env: { AUDIT_RETENTION_DAYS: '30' } });
    const user = await createUser(t.app, 'admin');
    adminName = user.username;
    adminId = user.id;
    const { TokenService } = await import('../../src/auth/token.service.js');
    admin = authed(request(t.app.getHttpServer()), await t.app.get(TokenService).sign(user));
  });

  beforeEach(async () => {
    await t.dataSource.query(`DELETE FROM jobs`);
  });

  afterAll(async () => {
    await t?.close();
  });

  const createJob = async (over: Record<string, unknown> = {}): Promise<string> => {
    const res = await admin.post('/api/jobs').send(buildCreateJobDto(over)).expect(201);
    return res.body.data.id as string;
  };

  it('records a create with the actor, the request id and the whole job after', async () => {
    const res = await admin
      .post('/api/jobs')
      .set('X-Request-Id', 'audit-create-0001')
      .send(buildCreateJobDto({ name: 'audited', cronExpression: '0 3 * * *' }))
      .expect(201);
    const rows = await rowsOf(res.body.data.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'job.create',
      actor_type: 'user',
      actor_id: adminId,
      actor_name: adminName,
      resource_type: 'job',
      request_id: 'audit-create-0001',
      changes: {
        before: null,
        after: expect.objectContaining({
          name: 'audited',
          cronExpression: '0 3 * * *',
          version: 1,
        }),
      },
    });
  });

  it('records an update as exactly the changed fields, before and after', async () => {
    const id = await createJob({ cronExpression: '0 3 * * *', description: 'same' });
    await admin.put(`/api/jobs/${id}`).send({ cronExpression: '*/5 * * * *', description: 'same' });
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.action)).toEqual(['job.create', 'job.update']);
    expect(rows[1].changes).toEqual({
      before: { cronExpression: '0 3 * * *', version: 1 },
      after: { cronExpression: '*/5 * * * *', version: 2 },
    });
  });

  it('names activation and deactivation, and writes nothing for an update that changes nothing', async () => {
    const id = await createJob();
    await admin.put(`/api/jobs/${id}`).send({ isActive: false }).expect(200);
    await admin.put(`/api/jobs/${id}`).send({ isActive: false }).expect(200);
    await admin.put(`/api/jobs/${id}`).send({ isActive: true }).expect(200);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.action)).toEqual(['job.create', 'job.deactivate', 'job.activate']);
    expect(rows[1].changes).toEqual({
      before: { isActive: true, version: 1 },
      after: { isActive: false, version: 2 },
    });
  });

  it('records a pause with its note and a resume, one row each; a bulk pause once per job', async () => {
    const id = await createJob();
    await admin.post(`/api/jobs/${id}/pause`).send({ note: 'maintenance' }).expect(200);
    await admin.post(`/api/jobs/${id}/resume`).expect(200);
    await admin
      .post('/api/jobs/bulk')
      .send({ jobIds: [id], operation: 'pause' })
      .expect(200);
    await admin
      .post('/api/jobs/bulk')
      .send({ jobIds: [id], operation: 'resume' })
      .expect(200);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.action)).toEqual([
      'job.create',
      'job.pause',
      'job.resume',
      'job.bulk_pause',
      'job.bulk_resume',
    ]);
    expect(rows[1]).toMatchObject({ actor_type: 'user', actor_name: adminName });
    expect(rows[1].changes.before).toMatchObject({ isActive: true, pauseNote: null });
    expect(rows[1].changes.after).toMatchObject({ isActive: false, pauseNote: 'maintenance' });
    expect(rows[2].changes.after).toMatchObject({ isActive: true, pausedAt: null });
    // A refused pause (the job is already inactive without a pause) writes nothing.
    await admin.put(`/api/jobs/${id}`).send({ isActive: false }).expect(200);
    await admin.post(`/api/jobs/${id}/pause`).send({}).expect(409);
    expect((await rowsOf(id)).map((r) => r.action).slice(-1)).toEqual(['job.deactivate']);
  });

  it('records calendar and channel changes; a channel secret never reaches a row', async () => {
    const cal = (
      await admin
        .post('/api/calendars')
        .send({ name: 'holidays', timezone: 'UTC', dates: ['2030-12-25'] })
        .expect(201)
    ).body.data;
    await admin
      .put(`/api/calendars/${cal.id}`)
      .send({ dates: ['2030-12-26'] })
      .expect(200);
    await admin.delete(`/api/calendars/${cal.id}`).expect(200);
    const calRows = await rowsOf(cal.id);
    expect(calRows.map((r) => [r.action, r.resource_type])).toEqual([
      ['calendar.create', 'calendar'],
      ['calendar.update', 'calendar'],
      ['calendar.delete', 'calendar'],
    ]);
    expect(calRows[1].changes).toEqual({
      before: { dates: ['2030-12-25'], version: 1 },
      after: { dates: ['2030-12-26'], version: 2 },
    });

    const secret = 'whsec-audit-never-0123456789';
    const ch = (
      await admin
        .post('/api/channels')
        .send({ name: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret })
        .expect(201)
    ).body.data;
    await admin
      .put(`/api/channels/${ch.id}`)
      .send({ secret: `${secret}-rotated` })
      .expect(200);
    await admin.put(`/api/channels/${ch.id}`).send({ name: 'ops 2' }).expect(200);
    await admin.delete(`/api/channels/${ch.id}`).expect(200);
    const chRows = await rowsOf(ch.id);
    expect(chRows.map((r) => r.action)).toEqual([
      'channel.create',
      'channel.update',
      'channel.update',
      'channel.delete',
    ]);
    expect(chRows[1].changes).toEqual({
      before: { secret: '[redacted]', version: 1 },
      after: { secret: '[redacted]', version: 2 },
    });
    expect(chRows[0].changes.after).toMatchObject({ name: 'ops', secret: '[redacted]' });
    expect(chRows[2].changes).toEqual({
      before: { name: 'ops', version: 2 },
      after: { name: 'ops 2', version: 3 },
    });
    expect(JSON.stringify(chRows)).not.toContain(secret);
    // A refused change writes nothing.
    await admin.post('/api/calendars').send({ name: '', timezone: 'UTC' }).expect(400);
    expect((await rowsOf(ch.id)).length).toBe(4);
  });

  it('records a trigger in the run transaction, naming the execution', async () => {
    const id = await createJob();
    const res = await admin.post(`/api/jobs/${id}/trigger`).expect(202);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.action)).toEqual(['job.create', 'job.trigger']);
    expect(rows[1].changes).toEqual({
      before: null,
      after: { executionId: res.body.data.executionId, triggeredAt: expect.any(String) },
    });
  });

  it('records one row per job a bulk operation changed, with the bulk action named', async () => {
    const a = await createJob();
    const b = await createJob({ isActive: false });
    const unknown = '00000000-0000-4000-8000-000000000000';
    await admin
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b, unknown], operation: 'deactivate' })
      .expect(200);
    await admin
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b], operation: 'activate' })
      .expect(200);
    await admin
      .post('/api/jobs/bulk')
      .send({ jobIds: [a], operation: 'trigger' })
      .expect(200);
    await admin
      .post('/api/jobs/bulk')
      .send({ jobIds: [a, b], operation: 'delete' })
      .expect(200);
    expect((await rowsOf(a)).map((r) => r.action)).toEqual([
      'job.create',
      'job.bulk_deactivate',
      'job.bulk_activate',
      'job.bulk_trigger',
      'job.bulk_delete',
    ]);
    // b was already inactive: the bulk deactivate changed nothing of it.
    expect((await rowsOf(b)).map((r) => r.action)).toEqual([
      'job.create',
      'job.bulk_activate',
      'job.bulk_delete',
    ]);
    expect((await rowsOf(unknown)).length).toBe(0);
    const deleted = (await rowsOf(a))[4];
    expect(deleted.changes.after).toBeNull();
    expect(deleted.changes.before).toMatchObject({ isActive: true, version: 3 });
  });

  it('keeps a job trail after the job is deleted, newest first through the API', async () => {
    const id = await createJob();
    await admin.put(`/api/jobs/${id}`).send({ description: 'changed' }).expect(200);
    await admin.delete(`/api/jobs/${id}`).expect(200);
    await admin.get(`/api/jobs/${id}`).expect(404);
    const res = await admin.get(`/api/jobs/${id}/audit`).expect(200);
    expect(res.body.data.entries.map((e: { action: string }) => e.action)).toEqual([
      'job.delete',
      'job.update',
      'job.create',
    ]);
    expect(res.body.data.entries[0]).toMatchObject({
      actor: { type: 'user', id: adminId, name: adminName },
      resourceType: 'job',
      resourceId: id,
      before: expect.objectContaining({ description: 'changed', version: 2 }),
      after: null,
    });
    expect(res.body.data.pagination).toEqual({
      page: 1,
      limit: 10,
      hasNext: false,
      hasPrev: false,
    });
  });

  it('writes no row for a change that fails', async () => {
    const id = await createJob();
    const before = await countAll();
    await admin.put(`/api/jobs/${id}`).send({ timeoutMs: 5 }).expect(400);
    await admin
      .post('/api/jobs')
      .send(buildCreateJobDto({ cronExpression: 'nope' }))
      .expect(400);
    await admin.delete('/api/jobs/00000000-0000-4000-8000-000000000000').expect(404);
    expect(await countAll()).toBe(before);
  });

  it('never stores secrets: payload tokens, target headers, password hashes', async () => {
    const id = await createJob({
      payload: { token: 'payload-token-123456', visible: 1 },
      target: {
        type: 'http',
        url: 'https://example.com/hook',
        headers: { Authorization: 'Bearer header-secret-654321' },
      },
    });
    const user = await createUser(t.app, 'viewer', undefined, 'first-password-1');
    await admin.put(`/api/users/${user.id}`).send({ password: 'second-password-2' }).expect(200);
    await admin.delete(`/api/users/${user.id}`).expect(200);
    const stored = await t.dataSource.query<{ c: string }[]>(
      `SELECT changes::text AS c FROM audit_log`,
    );
    const all = stored.map((r) => r.c).join('\n');
    const hashes = await t.dataSource.query<{ password_hash: string }[]>(
      `SELECT password_hash FROM users`,
    );
    for (const secret of [
      'payload-token-123456',
      'header-secret-654321',
      'first-password-1',
      'second-password-2',
      user.passwordHash,
      ...hashes.map((h) => h.password_hash),
    ]) {
      expect(all).not.toContain(secret);
    }
    const [create] = await rowsOf(id);
    expect(create.changes.after).toMatchObject({
      payload: { token: '[redacted]', visible: 1 },
      target: { headers: { Authorization: '[redacted]' } },
    });
    const userRows = await rowsOf(user.id);
    expect(userRows.map((r) => [r.action, r.changes])).toEqual([
      [
        'user.create',
        {
          before: null,
          after: { username: user.username, role: 'viewer', passwordHash: '[redacted]' },
        },
      ],
      [
        'user.update',
        { before: { passwordHash: '[redacted]' }, after: { passwordHash: '[redacted]' } },
      ],
      [
        'user.delete',
        {
          before: { username: user.username, role: 'viewer', passwordHash: '[redacted]' },
          after: null,
        },
      ],
    ]);
  });

  it('filters GET /api/audit by actor, resource type, action and time, newest first, paged', async () => {
    const start = new Date();
    const a = await createJob();
    await admin.put(`/api/jobs/${a}`).send({ description: 'x' }).expect(200);
    await admin.put(`/api/jobs/${a}`).send({ description: 'y' }).expect(200);
    const page1 = await admin
      .get(`/api/audit?actor=${adminName}&resourceType=job&action=job.update&limit=1`)
      .expect(200);
    expect(page1.body.data.entries).toHaveLength(1);
    expect(page1.body.data.entries[0].after).toEqual({ description: 'y', version: 3 });
    expect(page1.body.data.pagination).toEqual({
      page: 1,
      limit: 1,
      hasNext: true,
      hasPrev: false,
    });
    const page2 = await admin
      .get(
        `/api/audit?actor=${adminId}&action=job.update&limit=1&page=2&from=${start.toISOString()}`,
      )
      .expect(200);
    expect(page2.body.data.entries[0].after).toEqual({ description: 'x', version: 2 });
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await admin.get(`/api/audit?from=${future}`).expect(200);
    expect(none.body.data.entries).toEqual([]);
    const before = await admin.get(`/api/audit?to=${start.toISOString()}&resourceId=x`).expect(400);
    expect(before.body.error).toBe('Validation Error');
  });

  it('shows viewers job entries but not user or API key changes', async () => {
    await createUser(t.app, 'viewer');
    await createJob();
    const viewer = authed(request(t.app.getHttpServer()), await tokenFor(t.app, 'viewer'));
    const res = await viewer.get('/api/audit?limit=100').expect(200);
    const types = new Set(
      res.body.data.entries.map((e: { resourceType: string }) => e.resourceType),
    );
    expect(types.has('job')).toBe(true);
    expect(types.has('user')).toBe(false);
    const asAdmin = await admin.get('/api/audit?resourceType=user&limit=1').expect(200);
    expect(asAdmin.body.data.entries).toHaveLength(1);
  });

  it('answers 400 per field for bad filters', async () => {
    const res = await admin
      .get('/api/audit?from=yesterday&action=DROP%20TABLE&limit=1000&resourceType=Job')
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'action',
      'from',
      'limit',
      'resourceType',
    ]);
    await admin.get('/api/jobs/not-a-uuid/audit').expect(400);
  });

  it('drops audit months past AUDIT_RETENTION_DAYS and keeps recent rows', async () => {
    const id = await createJob();
    await t.dataSource.query(
      `SELECT ensure_month_partition('audit_log', 'at', now() - interval '400 days')`,
    );
    await t.dataSource.query(
      `INSERT INTO audit_log (at, actor_type, actor_name, action, resource_type, resource_id)
       VALUES (now() - interval '400 days', 'system', 'system', 'job.update', 'job', $1),
              (now() - interval '40 days', 'system', 'system', 'job.update', 'job', $1)`,
      [id],
    );
    expect(await t.app.get(AuditUpkeepService).run()).toBeGreaterThanOrEqual(2);
    const left = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_log WHERE resource_id = $1`,
      [id],
    );
    expect(left[0].n).toBe(1);
    const parts = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'audit_log'::regclass`,
    );
    expect(parts[0].n).toBeGreaterThanOrEqual(4);
  });
});
