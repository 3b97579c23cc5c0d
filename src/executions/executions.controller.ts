import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { UuidParam } from '../core/http/validators.js';
import { ActivityService } from './activity.service.js';
import { ActivityQueryDto, ActivityResponseDto } from './dto/activity.dto.js';
import { ExecutionListResponseDto, ExecutionResponseDto } from './dto/execution.response.js';
import { ListExecutionsQueryDto } from './dto/list-executions.query.js';
import { ExecutionsService } from './executions.service.js';

@ApiTags('executions')
@Controller('api/executions')
export class ExecutionsController {
  constructor(
    private readonly executions: ExecutionsService,
    private readonly activityService: ActivityService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List executions of all jobs, newest first' })
  @ApiEnvelope(ExecutionListResponseDto)
  @ApiErrors()
  list(@Query() query: ListExecutionsQueryDto): Promise<ExecutionListResponseDto> {
    return this.executions.list(query);
  }

  @Get('activity')
  @ApiOperation({
    summary: 'Runs, failures and firing lag p99 per time bucket over the last hours',
    description:
      'For dashboards: every bucket of the window is listed (empty ones as zeros), oldest first.',
  })
  @ApiEnvelope(ActivityResponseDto)
  @ApiErrors()
  activity(@Query() query: ActivityQueryDto): Promise<ActivityResponseDto> {
    return this.activityService.recent(query);
  }

  @Get(':id')
  @ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Execution id' })
  @ApiOperation({ summary: 'Get one execution' })
  @ApiEnvelope(ExecutionResponseDto)
  @ApiErrors(404)
  get(@UuidParam('id') id: string): Promise<ExecutionResponseDto> {
    return this.executions.get(id);
  }
}
