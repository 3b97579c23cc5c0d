import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SystemStatsService, type SystemStats } from './system-stats.service.js';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('api/stats/system')
export class SystemStatsController {
  constructor(private readonly stats: SystemStatsService) {}

  @Get()
  @ApiOperation({
    summary: 'Process and scheduler figures: uptime, memory, runtime, firing lag, queue depth',
  })
  system(): Promise<SystemStats> {
    return this.stats.stats();
  }
}
