import type { JobResponseDto, JobStatisticsDto } from './dto/job.response.js';
import type { JobStatsResponseDto } from './dto/job-stats.response.js';
import type { JobEntity } from './job.entity.js';
import type { RecentExecutionsRow } from '../executions/executions.repository.js';
import type { JobStatsRow } from './jobs.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Percent with two decimals, 0 before the first run. */
function successRateOf(successful: number, total: number): number {
  return total > 0 ? Math.round((successful / total) * 10000) / 100 : 0;
}

export function toStatistics(job: JobEntity): JobStatisticsDto {
  const { totalRuns, successfulRuns, failedRuns } = job;
  return {
    totalRuns,
    successfulRuns,
    failedRuns,
    successRate: successRateOf(successfulRuns, totalRuns),
  };
}

export function toJobResponse(job: JobEntity): JobResponseDto {
  return {
    id: job.id,
    name: job.name,
    description: job.description,
    cronExpression: job.cronExpression,
    isActive: job.isActive,
    jobType: job.jobType,
    payload: job.payload,
    timezone: job.timezone,
    intervalMs: job.intervalMs,
    runAt: iso(job.runAt),
    target: job.target,
    concurrencyPolicy: job.concurrencyPolicy,
    misfirePolicy: job.misfirePolicy,
    retryBackoff: job.retryBackoff,
    timeoutMs: job.timeoutMs,
    maxRetries: job.maxRetries,
    retryDelayMs: job.retryDelayMs,
    createdBy: job.createdBy,
    tags: job.tags,
    version: job.version,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    lastRunAt: iso(job.lastRunAt),
    nextRunAt: iso(job.nextRunAt),
    statistics: toStatistics(job),
    configuration: {
      timeoutMs: job.timeoutMs,
      maxRetries: job.maxRetries,
      retryDelayMs: job.retryDelayMs,
    },
  };
}

export function toJobStats(
  row: JobStatsRow,
  recent: RecentExecutionsRow,
  schedulerRunning: boolean,
): JobStatsResponseDto {
  const jobsByType = {
    scheduled: row.scheduled,
    immediate: row.immediate,
    recurring: row.recurring,
    delayed: row.delayed,
  };
  const executionStats = {
    totalExecutions: row.totalExecutions,
    successfulExecutions: row.successfulExecutions,
    failedExecutions: row.failedExecutions,
  };
  return {
    totalJobs: row.totalJobs,
    activeJobs: row.activeJobs,
    inactiveJobs: row.totalJobs - row.activeJobs,
    jobsByType,
    executionStats,
    scheduler: {
      isRunning: schedulerRunning,
      activeJobs: row.activeJobs,
      runningExecutions: recent.runningExecutions,
      ...executionStats,
      averageExecutionTime: Math.round(recent.averageDurationMs ?? 0),
      successRate: successRateOf(row.successfulExecutions, row.totalExecutions),
    },
    database: {
      totalJobs: row.totalJobs,
      activeJobs: row.activeJobs,
      totalExecutions: row.totalExecutions,
      recentExecutions: recent.recentExecutions,
      jobsByType: { ...jobsByType },
    },
  };
}
