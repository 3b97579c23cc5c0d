import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  responses: Record<
    string,
    { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }
  >;
}

const ROUTES: [string, string][] = [
  ['get', '/api/jobs'],
  ['post', '/api/jobs'],
  ['get', '/api/jobs/stats'],
  ['post', '/api/jobs/bulk'],
  ['get', '/api/jobs/{id}'],
  ['put', '/api/jobs/{id}'],
  ['delete', '/api/jobs/{id}'],
  ['post', '/api/jobs/{id}/trigger'],
  ['get', '/api/jobs/{id}/executions'],
  ['get', '/api/jobs/{id}/preview'],
  ['post', '/api/jobs/preview'],
  ['post', '/api/jobs/{id}/pause'],
  ['post', '/api/jobs/{id}/resume'],
  ['get', '/api/executions'],
  ['get', '/api/executions/{id}'],
  ['get', '/api/jobs/{id}/audit'],
  ['get', '/api/audit'],
  ['post', '/api/api-keys'],
  ['get', '/api/api-keys'],
  ['delete', '/api/api-keys/{id}'],
];

describe('OpenAPI document for jobs and executions', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const res = await request(t.app.getHttpServer() as App)
      .get('/api-docs-json')
      .expect(200);
    doc = res.body;
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(ROUTES)('documents %s %s with tag, summary, bearer auth and error envelopes', (m, p) => {
    const op = doc.paths[p]?.[m];
    expect(op).toBeDefined();
    expect(op.tags?.length).toBeGreaterThan(0);
    expect(op.summary).toBeTruthy();
    expect(op.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    for (const status of ['400', '401', '403', '429']) {
      expect(op.responses[status]?.content?.['application/json']?.schema).toEqual({
        $ref: '#/components/schemas/ErrorResponseDto',
      });
    }
    const ok = Object.keys(op.responses).find((s) => s.startsWith('2'));
    expect(ok).toBeDefined();
  });

  it('documents If-Match, ETag and Idempotency-Key where they apply', () => {
    const headers = (m: string, p: string): string[] =>
      (doc.paths[p][m].parameters ?? []).filter((x) => x.in === 'header').map((x) => x.name);
    expect(headers('put', '/api/jobs/{id}')).toContain('If-Match');
    expect(headers('delete', '/api/jobs/{id}')).toContain('If-Match');
    expect(headers('post', '/api/jobs')).toContain('Idempotency-Key');
    expect(headers('post', '/api/jobs/{id}/trigger')).toContain('Idempotency-Key');
    expect(doc.paths['/api/jobs/{id}'].get.responses['200'].headers).toHaveProperty('ETag');
    expect(doc.paths['/api/jobs/{id}'].put.responses['200'].headers).toHaveProperty('ETag');
    expect(doc.paths['/api/jobs/{id}'].put.responses).toHaveProperty('412');
    expect(doc.paths['/api/jobs'].post.responses).toHaveProperty('422');
    expect(doc.components.schemas.JobResponseDto.properties).toHaveProperty('version');
    expect(doc.components.schemas.BulkJobsDto.properties).toHaveProperty('versions');
    expect(headers('post', '/api/jobs/{id}/backfill')).toContain('Idempotency-Key');
    expect(headers('post', '/api/executions/{id}/replay')).toContain('Idempotency-Key');
    for (const [path, schema] of [
      ['/api/calendars/{id}', 'CalendarResponseDto'],
      ['/api/channels/{id}', 'ChannelResponseDto'],
    ]) {
      expect(headers('put', path)).toContain('If-Match');
      expect(headers('delete', path)).toContain('If-Match');
      expect(doc.paths[path].get.responses['200'].headers).toHaveProperty('ETag');
      expect(doc.paths[path].put.responses['200'].headers).toHaveProperty('ETag');
      expect(doc.paths[path].put.responses).toHaveProperty('412');
      expect(doc.paths[path].delete.responses).toHaveProperty('412');
      expect(doc.components.schemas[schema].properties).toHaveProperty('version');
    }
  });

  it('describes the create body and the job resource with their fields', () => {
    const create = doc.components.schemas.CreateJobDto.properties ?? {};
    const fields = ['name', 'cronExpression', 'jobType', 'timezone', 'target', 'runAt'];
    for (const f of [...fields, 'startAt', 'endAt', 'jitterMs', 'maxRuns']) {
      expect(create).toHaveProperty(f);
    }
    const job = doc.components.schemas.JobResponseDto.properties ?? {};
    const controls = ['remainingRuns', 'pausedAt', 'pausedUntil', 'pauseNote', 'jitterMs'];
    for (const f of ['statistics', 'configuration', 'nextRunAt', 'timeoutMs', ...controls]) {
      expect(job).toHaveProperty(f);
    }
    expect(doc.components.schemas).toHaveProperty('HttpTargetDto');
    expect(doc.components.schemas).toHaveProperty('UpdateJobDto');
    expect(doc.components.schemas.PauseJobDto.properties).toHaveProperty('until');
    expect(doc.components.schemas.JobPreviewResponseDto.properties).toHaveProperty('description');
  });
});
