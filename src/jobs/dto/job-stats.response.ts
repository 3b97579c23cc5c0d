import { ApiProperty } from '@nestjs/swagger';

export class JobsByTypeDto {
  @ApiProperty({ example: 15 })
  scheduled: number;
  @ApiProperty({ example: 5 })
  immediate: number;
  @ApiProperty({ example: 3 })
  recurring: number;
  @ApiProperty({ example: 2 })
  delayed: number;
}

export class ExecutionStatsDto {
  @ApiProperty({ example: 1250 })
  totalExecutions: number;
  @ApiProperty({ example: 1180 })
  successfulExecutions: number;
  @ApiProperty({ example: 70 })
  failedExecutions: number;
}

/** What the original's code answered under `scheduler` (its dashboard reads these). */
export class SchedulerStatsDto {
  @ApiProperty({
    example: true,
    description: "This replica's scheduler has started and is not shutting down",
  })
  isRunning: boolean;
  @ApiProperty({ example: 18, description: 'Same as activeJobs' })
  activeJobs: number;
  @ApiProperty({ example: 3, description: 'Executions running now on any replica' })
  runningExecutions: number;
  @ApiProperty({ example: 1250, description: 'Same as executionStats.totalExecutions' })
  totalExecutions: number;
  @ApiProperty({ example: 1180 })
  successfulExecutions: number;
  @ApiProperty({ example: 70 })
  failedExecutions: number;
  @ApiProperty({
    example: 412,
    description: 'Mean duration (ms, rounded) of the runs started in the last 24 h; 0 when none',
  })
  averageExecutionTime: number;
  @ApiProperty({ example: 94.4, description: 'successful / total, percent with two decimals' })
  successRate: number;
}

/** What the original's code answered under `database`. */
export class DatabaseStatsDto {
  @ApiProperty({ example: 25 })
  totalJobs: number;
  @ApiProperty({ example: 18 })
  activeJobs: number;
  @ApiProperty({ example: 1250, description: 'Same as executionStats.totalExecutions' })
  totalExecutions: number;
  @ApiProperty({ example: 96, description: 'Executions started in the last 24 hours' })
  recentExecutions: number;
  @ApiProperty({ type: JobsByTypeDto })
  jobsByType: JobsByTypeDto;
}

/**
 * The original README's shape, plus the `scheduler` and `database` objects its code returned
 * and its web dashboard reads. Every count agrees with the job list and the jobs' statistics.
 */
export class JobStatsResponseDto {
  @ApiProperty({ example: 25 })
  totalJobs: number;
  @ApiProperty({ example: 18 })
  activeJobs: number;
  @ApiProperty({ example: 7 })
  inactiveJobs: number;
  @ApiProperty({ type: JobsByTypeDto })
  jobsByType: JobsByTypeDto;
  @ApiProperty({
    type: ExecutionStatsDto,
    description: "Sums of the jobs' run counters (kept exact in SQL by the scheduler)",
  })
  executionStats: ExecutionStatsDto;
  @ApiProperty({ type: SchedulerStatsDto })
  scheduler: SchedulerStatsDto;
  @ApiProperty({ type: DatabaseStatsDto })
  database: DatabaseStatsDto;
}
