import type { CalendarsService } from '../calendars/calendars.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { ValidationFailedError } from '../core/errors/app-error.js';
import { Clock } from '../core/time/clock.js';
import type { ExecutionsService } from '../executions/executions.service.js';
import type { SchedulerPort } from './scheduler.port.js';
import type { UpdateJobDto } from './dto/update-job.dto.js';
import { definitionFromCreate, type JobDefinition } from './job-definition.js';
import type { JobEntity } from './job.entity.js';
import type { JobsRepository } from './jobs.repository.js';
import { JobsService } from './jobs.service.js';

const NOW = new Date('2026-03-07T12:00:00.000Z');
const ID = '6f1c2a4e-8a8b-4b8e-9a55-0f3f3f1d2a10';

class FixedClock extends Clock {
  override now(): Date {
    return new Date(NOW);
  }
}

/** An in-memory JobsRepository holding one row, recording what update wrote. */
class FakeJobs {
  row: JobEntity | null = null;
  written: { def: JobDefinition; nextRunAt: Date | null | undefined } | null = null;
  findById(): Promise<JobEntity | null> {
    return Promise.resolve(this.row);
  }
  findForUpdate(): Promise<JobEntity | null> {
    return Promise.resolve(this.row);
  }
  update(_id: string, def: JobDefinition, nextRunAt: Date | null | undefined): Promise<boolean> {
    this.written = { def, nextRunAt };
    return Promise.resolve(true);
  }
}

function stored(over: Partial<JobEntity> = {}): JobEntity {
  const def = definitionFromCreate({ name: 'j', cronExpression: '30 2 * * *' }, 'America/New_York');
  return {
    ...def,
    id: ID,
    createdAt: NOW,
    updatedAt: NOW,
    lastRunAt: null,
    nextRunAt: new Date('2026-03-08T07:00:00.000Z'),
    totalRuns: 0,
    successfulRuns: 0,
    failedRuns: 0,
    skippedRuns: 0,
    consecutiveFailures: 0,
    lastSuccessAt: null,
    lastFailureAt: null,
    recentLagsMs: [],
    recentDurationsMs: [],
    pausedAt: null,
    pausedUntil: null,
    pauseNote: null,
    remainingRuns: null,
    version: 1,
    ...over,
  };
}

/** A scheduler with nothing armed (the service always has one: SchedulerModule is global). */
const idle: SchedulerPort = {
  isScheduled: () => false,
  triggerNow: () => Promise.reject(new Error('unused')),
  replay: () => Promise.reject(new Error('unused')),
  status: () => {
    throw new Error('unused');
  },
  pendingRuns: () => Promise.resolve(0),
};

function service(jobs: FakeJobs, port: SchedulerPort = idle): JobsService {
  const executions = { latestForJob: () => Promise.resolve([]) } as unknown as ExecutionsService;
  const config = loadConfig({ NODE_ENV: 'test' });
  return new JobsService(
    jobs as unknown as JobsRepository,
    executions,
    new FixedClock(),
    { transaction: (fn: (m: unknown) => Promise<unknown>) => fn({}) } as unknown as DataSource,
    config,
    port,
    { unknownIds: () => Promise.resolve([]) } as unknown as CalendarsService,
    { record: () => Promise.resolve() } as unknown as AuditService,
  );
}

const update = (s: JobsService, dto: Partial<UpdateJobDto>): Promise<unknown> => s.update(ID, dto);

describe(JobsService.name, () => {
  it('reports isScheduled from the scheduler port, and false without one', async () => {
    const jobs = new FakeJobs();
    jobs.row = stored();
    const port = { isScheduled: (id: string): boolean => id === ID } as unknown as SchedulerPort;
    expect((await service(jobs, port).get(ID)).isScheduled).toBe(true);
    expect((await service(jobs).get(ID)).isScheduled).toBe(false);
  });

  it('leaves next_run_at to the scheduler on an edit that does not touch timing', async () => {
    const jobs = new FakeJobs();
    jobs.row = stored();
    await update(service(jobs), { name: 'renamed', tags: ['a'] });
    expect(jobs.written).not.toBeNull();
    expect(jobs.written?.nextRunAt).toBeUndefined();
    expect(jobs.written?.def).toMatchObject({ name: 'renamed', tags: ['a'] });
    expect(jobs.written?.def).not.toHaveProperty('totalRuns');
  });

  it('recomputes nextRunAt in the job zone when the cron or zone changes', async () => {
    const jobs = new FakeJobs();
    jobs.row = stored();
    await update(service(jobs), { cronExpression: '0 9 * * *' });
    // 09:00 EST on 2026-03-07 (UTC-5) is 14:00Z.
    expect(jobs.written?.nextRunAt?.toISOString()).toBe('2026-03-07T14:00:00.000Z');
    await update(service(jobs), { timezone: 'UTC' });
    expect(jobs.written?.nextRunAt?.toISOString()).toBe('2026-03-08T02:30:00.000Z');
  });

  it('clears nextRunAt on deactivation and sets it again on re-activation', async () => {
    const jobs = new FakeJobs();
    jobs.row = stored();
    await update(service(jobs), { isActive: false });
    expect(jobs.written?.nextRunAt).toBeNull();
    jobs.row = stored({ isActive: false, nextRunAt: null });
    await update(service(jobs), { isActive: true });
    // 02:30 does not exist in New York on 2026-03-08: the first instant after the gap, 03:00 EDT.
    expect(jobs.written?.nextRunAt?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('refuses an update whose merged job is incoherent, writing nothing', async () => {
    const jobs = new FakeJobs();
    jobs.row = stored();
    await expect(
      update(service(jobs), { jobType: 'delayed', cronExpression: null }),
    ).rejects.toThrow(ValidationFailedError);
    expect(jobs.written).toBeNull();
  });
});
