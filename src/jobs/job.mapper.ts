import type { JobResponseDto, JobStatisticsDto } from './dto/job.response.js';
import type { JobStatsResponseDto } from './dto/job-stats.response.js';
import type { JobEntity } from './job.entity.js';
import { fireAt } from './schedule/schedule.js';
import type { RecentExecutionsRow } from '../executions/executions.repository.js';
import type { JobStatsRow } from './jobs.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Percent with two decimals, 0 before the first run. */
function successRateOf(successful: number, total: number): number {
  return total > 0 ? Math.round((successful / total) * 10000) / 100 : 0;
}

/** Nearest-rank percentile of a small window (at most 100 values); null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function toStatistics(job: JobEntity): JobStatisticsDto {
  const { totalRuns, successfulRuns, failedRuns } = job;
  const lags = job.recentLagsMs ?? [];
  const durations = job.recentDurationsMs ?? [];
  return {
    totalRuns,
    successfulRuns,
    failedRuns,
    successRate: successRateOf(successfulRuns, totalRuns),
    consecutiveFailures: job.consecutiveFailures ?? 0,
    lastSuccessAt: iso(job.lastSuccessAt ?? null),
    lastFailureAt: iso(job.lastFailureAt ?? null),
    lagMsP50: percentile(lags, 50),
    lagMsP99: percentile(lags, 99),
    durationMsP50: percentile(durations, 50),
    durationMsP95: percentile(durations, 95),
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
    startAt: iso(job.startAt),
    endAt: iso(job.endAt),
    jitterMs: job.jitterMs,
    maxRuns: job.maxRuns,
    remainingRuns: job.remainingRuns,
    misfirePolicy: job.misfirePolicy,
    retryBackoff: job.retryBackoff,
    timeoutMs: job.timeoutMs,
    maxRetries: job.maxRetries,
    retryDelayMs: job.retryDelayMs,
    createdBy: job.createdBy,
    tags: job.tags,
    excludeCalendars: job.excludeCalendars,
    alerts: job.alerts ?? null,
    autoPauseAfterFailures: job.autoPauseAfterFailures ?? null,
    version: job.version,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    lastRunAt: iso(job.lastRunAt),
    nextRunAt: job.nextRunAt
      ? fireAt({ jobId: job.id, jitterMs: job.jitterMs }, job.nextRunAt).toISOString()
      : null,
    pausedAt: iso(job.pausedAt),
    pausedUntil: iso(job.pausedUntil),
    pauseNote: job.pauseNote,
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
