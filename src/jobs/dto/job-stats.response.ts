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

/** Exactly the original README's shape. */
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
}
