import { beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { ignorePoolError } from '../support/scheduler-fixtures.js';
import { appWithAdmin, authed, viewerToken, type AdminApi } from '../support/auth.js';
import { buildCreateJobDto } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';

const UNKNOWN = '00000000-0000-4000-8000-0000000000ff';

const calendarBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'Holidays',
  timezone: 'Europe/Berlin',
  dates: ['2026-12-25', '2026-12-24'],
  ranges: [{ from: '2026-12-31T18:00:00Z', to: '2027-01-01T06:00:00+01:00' }],
  ...over,
});

/** [rule, body overrides, field expected in details]: each a 400 that writes nothing. */
const INVALID_CALENDARS: [string, Record<string, unknown>, string][] = [
  ['missing name', { name: undefined }, 'name'],
  ['empty name', { name: '' }, 'name'],
  ['name over 255', { name: 'n'.repeat(256) }, 'name'],
  ['description over 1000', { description: 'd'.repeat(1001) }, 'description'],
  ['missing timezone', { timezone: undefined }, 'timezone'],
  ['unknown timezone', { timezone: 'Mars/Olympus' }, 'timezone'],
  ['offset as timezone', { timezone: '+01:00' }, 'timezone'],
  ['dates not an array', { dates: '2026-12-25' }, 'dates'],
  ['date with a time', { dates: ['2026-12-25T00:00:00Z'] }, 'dates'],
  ['impossible date', { dates: ['2026-02-30'] }, 'dates'],
  ['date as a number', { dates: [20261225] }, 'dates'],
  ['dates null', { dates: null }, 'dates'],
  ['over 1000 dates', { dates: Array.from({ length: 1001 }, () => '2026-01-01') }, 'dates'],
  ['range without to', { ranges: [{ from: '2026-01-01T00:00:00Z' }] }, 'ranges.0.to'],
  [
    'range from not ISO',
    { ranges: [{ from: 'soon', to: '2026-01-01T00:00:00Z' }] },
    'ranges.0.from',
  ],
  [
    'range from after to',
    { ranges: [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }] },
    'ranges.0.to',
  ],
  [
    'empty range (from = to)',
    { ranges: [{ from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }] },
    'ranges.0.to',
  ],
  ['ranges not an array', { ranges: { from: 'x' } }, 'ranges'],
  ['unknown property', { color: 'red' }, 'color'],
];

describe('calendars API', () => {
  let t: TestApp;
  let api: AdminApi;
  appWithAdmin((app, client) => ([t, api] = [app, client]));

  const count = async (): Promise<number> =>
    (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM calendars`))[0].n;

  it('creates, reads, lists, updates and deletes a calendar', async () => {
    const created = await api().post('/api/calendars').send(calendarBody()).expect(201);
    const cal = created.body.data;
    expect(cal).toMatchObject({
      name: 'Holidays',
      description: null,
      timezone: 'Europe/Berlin',
      dates: ['2026-12-24', '2026-12-25'],
      ranges: [{ from: '2026-12-31T18:00:00.000Z', to: '2027-01-01T05:00:00.000Z' }],
    });
    const got = await api().get(`/api/calendars/${cal.id}`).expect(200);
    expect(got.body.data).toEqual(cal);
    const list = await api().get('/api/calendars?limit=5').expect(200);
    expect(list.body.data.calendars.map((c: { id: string }) => c.id)).toContain(cal.id);
    expect(list.body.data.pagination).toMatchObject({ page: 1, limit: 5 });

    const put = await api()
      .put(`/api/calendars/${cal.id}`)
      .send({ dates: ['2027-01-01'], description: 'new year' })
      .expect(200);
    expect(put.body.data).toMatchObject({
      name: 'Holidays',
      description: 'new year',
      dates: ['2027-01-01'],
      ranges: cal.ranges,
    });
    await api().delete(`/api/calendars/${cal.id}`).expect(200);
    await api().get(`/api/calendars/${cal.id}`).expect(404);
    await api().delete(`/api/calendars/${cal.id}`).expect(404);
    await api().get('/api/calendars/not-a-uuid').expect(400);
  });

  it.each(INVALID_CALENDARS)('rejects %s with a 400 naming the field', async (_r, over, field) => {
    const before = await count();
    const res = await api().post('/api/calendars').send(calendarBody(over)).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('rejects a bad update with a 400 and leaves the calendar unchanged', async () => {
    const cal = (await api().post('/api/calendars').send(calendarBody()).expect(201)).body.data;
    for (const [, over, field] of INVALID_CALENDARS.filter(([r]) => !r.startsWith('missing'))) {
      const res = await api().put(`/api/calendars/${cal.id}`).send(over).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    for (const field of ['name', 'timezone', 'ranges']) {
      const res = await api()
        .put(`/api/calendars/${cal.id}`)
        .send({ [field]: null })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await api().get(`/api/calendars/${cal.id}`).expect(200)).body.data).toEqual(cal);
  });

  it('is in the OpenAPI document: routes, bodies and the job field', async () => {
    const doc = (await request(t.app.getHttpServer()).get('/api-docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[] }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const routes: [string, string][] = [
      ['get', '/api/calendars'],
      ['post', '/api/calendars'],
      ['get', '/api/calendars/{id}'],
      ['put', '/api/calendars/{id}'],
      ['delete', '/api/calendars/{id}'],
      ['get', '/api/calendars/{id}/jobs'],
      ['post', '/api/jobs/{id}/backfill'],
      ['get', '/api/jobs/{id}/backfills'],
      ['get', '/api/jobs/{id}/backfills/{backfillId}'],
      ['post', '/api/jobs/{id}/backfills/{backfillId}/cancel'],
    ];
    for (const [m, p] of routes) {
      expect({ route: `${m} ${p}`, summary: Boolean(doc.paths[p]?.[m]?.summary) }).toEqual({
        route: `${m} ${p}`,
        summary: true,
      });
      expect(doc.paths[p][m].security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    }
    const props = (schema: string): string[] =>
      Object.keys(doc.components.schemas[schema]?.properties ?? {});
    expect(props('CreateCalendarDto')).toEqual(
      expect.arrayContaining(['name', 'description', 'timezone', 'dates', 'ranges']),
    );
    expect(props('CreateBackfillDto')).toEqual(['from', 'to', 'dryRun']);
    expect(props('BackfillResponseDto')).toEqual(
      expect.arrayContaining(['status', 'total', 'started', 'remaining', 'runs']),
    );
    expect(props('CreateJobDto')).toContain('excludeCalendars');
    expect(props('JobResponseDto')).toContain('excludeCalendars');
  });

  it('lets viewers read and only admins write', async () => {
    const viewer = authed(request(t.app.getHttpServer()), await viewerToken(t.app));
    await viewer.get('/api/calendars').expect(200);
    await viewer.post('/api/calendars').send(calendarBody()).expect(403);
    await request(t.app.getHttpServer()).get('/api/calendars').expect(401);
  });

  it('has CHECK constraints and a foreign key behind the API rules', async () => {
    // A plain client: the app's DataSource would log each refused statement.
    const pool = new pg.Pool({ connectionString: t.db.url, max: 1 }).on('error', ignorePoolError);
    const q = (sql: string, args: unknown[] = []): Promise<unknown> => pool.query(sql, args);
    await expect(
      q(`INSERT INTO calendars (name, timezone, range_starts, range_ends)
         VALUES ('x', 'UTC', ARRAY['2026-01-02'::timestamptz], ARRAY['2026-01-01'::timestamptz])`),
    ).rejects.toThrow(/ck_calendars_ranges/);
    await expect(
      q(`INSERT INTO calendars (name, timezone, range_starts) VALUES ('x', 'UTC', ARRAY[now()])`),
    ).rejects.toThrow(/ck_calendars_ranges/);
    await expect(q(`INSERT INTO calendars (name, timezone) VALUES ('', 'UTC')`)).rejects.toThrow(
      /ck_calendars_name/,
    );
    await expect(
      q(
        `INSERT INTO jobs (name, cron_expression, timezone, exclude_calendars)
         VALUES ('j', '0 0 * * *', 'UTC', ARRAY[$1::uuid])`,
        [UNKNOWN],
      ),
    ).rejects.toThrow(/fk_job_calendars_calendar/);
    await pool.end();
  });

  describe('excludeCalendars on jobs', () => {
    let calId: string;
    beforeAll(async () => {
      calId = (
        await api()
          .post('/api/calendars')
          .send(calendarBody({ name: 'ref' }))
          .expect(201)
      ).body.data.id;
    });

    const jobCount = async (): Promise<number> =>
      (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM jobs`))[0].n;

    it.each([
      ['an unknown calendar id', [UNKNOWN], UNKNOWN],
      ['not a uuid', ['holidays'], 'excludeCalendars'],
      ['not an array', 'x', 'excludeCalendars'],
      ['null', null, 'excludeCalendars'],
      ['duplicates', ['SAME', 'SAME'], 'excludeCalendars'],
      ['over 20 ids', Array.from({ length: 21 }, () => UNKNOWN), 'excludeCalendars'],
    ])('rejects %s with a 400 and writes nothing', async (_r, value, mention) => {
      const ids = Array.isArray(value) ? value.map((v) => (v === 'SAME' ? calId : v)) : value;
      const before = await jobCount();
      const res = await api()
        .post('/api/jobs')
        .send(buildCreateJobDto({ excludeCalendars: ids }))
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('excludeCalendars');
      expect(JSON.stringify(res.body.details)).toContain(mention);
      expect(await jobCount()).toBe(before);
    });

    it('stores the ids, refuses an unknown one on update, and 409s the calendar delete', async () => {
      const job = (
        await api()
          .post('/api/jobs')
          .send(buildCreateJobDto({ name: 'nightly-report', excludeCalendars: [calId] }))
          .expect(201)
      ).body.data;
      expect(job.excludeCalendars).toEqual([calId]);
      const viewer = authed(request(t.app.getHttpServer()), await viewerToken(t.app));
      const using = await viewer.get(`/api/calendars/${calId}/jobs`).expect(200);
      expect(using.body.data).toEqual({ jobs: [{ id: job.id, name: 'nightly-report' }], total: 1 });
      await api().get(`/api/calendars/${UNKNOWN}/jobs`).expect(404);
      await api().get('/api/calendars/not-a-uuid/jobs').expect(400);
      const bad = await api()
        .put(`/api/jobs/${job.id}`)
        .send({ excludeCalendars: [calId, UNKNOWN] })
        .expect(400);
      expect(bad.body.details[0].message).toContain(UNKNOWN);
      expect(
        (await api().get(`/api/jobs/${job.id}`).expect(200)).body.data.job.excludeCalendars,
      ).toEqual([calId]);

      const conflict = await api().delete(`/api/calendars/${calId}`).expect(409);
      expect(conflict.body.error).toBe('Conflict');
      expect(conflict.body.message).toContain('nightly-report');
      expect(conflict.body.message).toContain(job.id);
      await api().get(`/api/calendars/${calId}`).expect(200);

      await api().put(`/api/jobs/${job.id}`).send({ excludeCalendars: [] }).expect(200);
      expect((await api().get(`/api/calendars/${calId}/jobs`).expect(200)).body.data).toEqual({
        jobs: [],
        total: 0,
      });
      await api().delete(`/api/calendars/${calId}`).expect(200);
    });

    it('a deleted job no longer holds its calendars', async () => {
      const cal = (await api().post('/api/calendars').send(calendarBody()).expect(201)).body.data;
      const job = (
        await api()
          .post('/api/jobs')
          .send(buildCreateJobDto({ excludeCalendars: [cal.id] }))
          .expect(201)
      ).body.data;
      await api().delete(`/api/calendars/${cal.id}`).expect(409);
      await api().delete(`/api/jobs/${job.id}`).expect(200);
      await api().delete(`/api/calendars/${cal.id}`).expect(200);
    });

    it('preview leaves out the slots a calendar excludes', async () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const cal = (
        await api()
          .post('/api/calendars')
          .send({ name: 'tomorrow', timezone: 'UTC', dates: [tomorrow] })
          .expect(201)
      ).body.data;
      const job = (
        await api()
          .post('/api/jobs')
          .send(
            buildCreateJobDto({
              cronExpression: '0 12 * * *',
              timezone: 'UTC',
              excludeCalendars: [cal.id],
            }),
          )
          .expect(201)
      ).body.data;
      const res = await api().get(`/api/jobs/${job.id}/preview?count=5`).expect(200);
      const days = res.body.data.slots.map((s: { at: string }) => s.at.slice(0, 10));
      expect(days).toHaveLength(5);
      expect(days).not.toContain(tomorrow);
      // Reference: the next six noon-UTC slots without the excluded day, first five of them.
      const expected: string[] = [];
      for (let d = 0; expected.length < 5; d++) {
        const noon = new Date(
          `${new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)}T12:00:00Z`,
        );
        if (noon.getTime() > Date.now() && noon.toISOString().slice(0, 10) !== tomorrow) {
          expected.push(noon.toISOString().slice(0, 10));
        }
      }
      expect(days).toEqual(expected);

      // Asked for, the excluded slot is listed with its reason, and so is it in the preview of a
      // create body (POST /api/jobs/preview resolves the calendars too).
      const withSkipped = await api()
        .get(`/api/jobs/${job.id}/preview?count=5&includeSkipped=true`)
        .expect(200);
      const draft = await api()
        .post('/api/jobs/preview?count=5&includeSkipped=true')
        .send(
          buildCreateJobDto({
            cronExpression: '0 12 * * *',
            timezone: 'UTC',
            excludeCalendars: [cal.id],
          }),
        )
        .expect(200);
      for (const body of [withSkipped.body.data, draft.body.data]) {
        const skipped = (body.slots as { at: string; skipped?: string }[]).filter((s) => s.skipped);
        expect(skipped).toEqual([
          { at: `${tomorrow}T12:00:00.000Z`, local: expect.any(String), skipped: 'calendar' },
        ]);
      }
      await api()
        .post('/api/jobs/preview')
        .send(
          buildCreateJobDto({
            cronExpression: '0 12 * * *',
            excludeCalendars: ['00000000-0000-4000-8000-000000000000'],
          }),
        )
        .expect(400);
    });
  });
});
