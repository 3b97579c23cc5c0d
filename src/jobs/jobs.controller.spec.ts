import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG, loadConfig } from '../config/app-config.js';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { EnvelopeInterceptor } from '../core/http/envelope.interceptor.js';
import { AppExceptionFilter } from '../core/http/exception.filter.js';
import { createValidationPipe } from '../core/http/validation.pipe.js';
import { Clock } from '../core/time/clock.js';
import { SCHEDULER_PORT, type ManualTriggerResult, type SchedulerPort } from './scheduler.port.js';
import { JobPauseService } from './job-pause.service.js';
import { JobActionsService } from './job-actions.service.js';
import { UpcomingSlotsService } from './upcoming.service.js';
import { JobNotFoundError, JobRunningError } from './jobs.errors.js';
import { JobsController } from './jobs.controller.js';
import { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';

const JOB = '6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a10';
const BUSY = '6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a11';
const GONE = '6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a12';

/** A scheduler port that runs nothing: answers per id, records calls. */
class FakeSchedulerPort implements SchedulerPort {
  calls: string[] = [];
  isScheduled(): boolean {
    return true;
  }
  replay(): Promise<never> {
    return Promise.reject(new Error('unused'));
  }
  triggerNow(jobId: string): Promise<ManualTriggerResult> {
    this.calls.push(jobId);
    if (jobId === BUSY) {
      return Promise.reject(new JobRunningError(jobId));
    }
    if (jobId === GONE) {
      return Promise.reject(new JobNotFoundError(jobId));
    }
    return Promise.resolve({
      executionId: '11111111-1111-4111-8111-111111111111',
      jobId,
      jobName: 'Daily Data Backup',
      triggeredAt: new Date('2026-01-15T10:30:00.000Z'),
    });
  }
  status(): never {
    throw new Error('not used');
  }
  pendingRuns(): Promise<number | null> {
    return Promise.resolve(0);
  }
}

describe(JobsController.name, () => {
  let app: NestExpressApplication;
  let http: App;
  const port = new FakeSchedulerPort();
  const jobsService = { create: jest.fn() };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [JobsController],
      providers: [
        JobActionsService,
        Clock,
        { provide: JobsService, useValue: jobsService },
        { provide: UpcomingSlotsService, useValue: {} },
        { provide: JobsRepository, useValue: {} },
        { provide: JobPauseService, useValue: {} },
        { provide: DataSource, useValue: {} },
        { provide: AuditService, useValue: { record: () => Promise.resolve() } },
        { provide: SCHEDULER_PORT, useValue: port },
        { provide: APP_CONFIG, useValue: loadConfig({ NODE_ENV: 'test' }) },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    await app.init();
    http = app.getHttpServer();
  });

  beforeEach(() => {
    port.calls = [];
    jobsService.create.mockReset();
  });

  afterAll(async () => {
    await app.close();
  });

  it('triggers through SCHEDULER_PORT.triggerNow and answers 202 with the run', async () => {
    const res = await request(http).post(`/api/jobs/${JOB}/trigger`).expect(202);
    expect(port.calls).toEqual([JOB]);
    expect(res.body).toEqual({
      success: true,
      message: 'Job triggered successfully',
      timestamp: expect.any(String),
      data: {
        executionId: '11111111-1111-4111-8111-111111111111',
        jobId: JOB,
        jobName: 'Daily Data Backup',
        triggeredAt: '2026-01-15T10:30:00.000Z',
      },
    });
  });

  it('maps the port errors: running under forbid → 409, unknown job → 404', async () => {
    const busy = await request(http).post(`/api/jobs/${BUSY}/trigger`).expect(409);
    expect(busy.body).toMatchObject({ success: false, error: 'Conflict' });
    const gone = await request(http).post(`/api/jobs/${GONE}/trigger`).expect(404);
    expect(gone.body).toMatchObject({ error: 'Not Found', message: 'Job not found' });
  });

  it('refuses a non-UUID id before reaching the port', async () => {
    const res = await request(http).post('/api/jobs/123/trigger').expect(400);
    expect(res.body.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    expect(port.calls).toEqual([]);
  });

  it('bulk-triggers each id through the port and reports per id', async () => {
    const res = await request(http)
      .post('/api/jobs/bulk')
      .send({ jobIds: [JOB, GONE, BUSY], operation: 'trigger' })
      .expect(200);
    expect(port.calls).toEqual([JOB, GONE, BUSY]);
    expect(res.body.data).toEqual({
      operation: 'trigger',
      results: [
        { id: JOB, success: true },
        { id: GONE, success: false, error: 'Job not found' },
        { id: BUSY, success: false, error: 'Job is already running' },
      ],
      succeeded: 1,
      failed: 2,
    });
  });

  it('answers 400 with one detail per failed field and never calls the service', async () => {
    const res = await request(http)
      .post('/api/jobs')
      .send({ name: '', timeoutMs: 5, target: { type: 'http', url: 'ftp://x' } })
      .expect(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'name', message: expect.stringContaining('name') },
        { field: 'timeoutMs', message: 'timeoutMs must not be less than 1000' },
        { field: 'target.url', message: 'url must use http or https' },
      ]),
    );
    expect(jobsService.create).not.toHaveBeenCalled();
  });
});
