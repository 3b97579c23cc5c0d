import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { UuidParam } from '../core/http/validators.js';
import { ExecutionListResponseDto, ExecutionResponseDto } from './dto/execution.response.js';
import { ListExecutionsQueryDto } from './dto/list-executions.query.js';
import { ExecutionsService } from './executions.service.js';

@ApiTags('executions')
@Controller('api/executions')
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get()
  @ApiOperation({ summary: 'List executions of all jobs, newest first' })
  @ApiEnvelope(ExecutionListResponseDto)
  @ApiErrors()
  list(@Query() query: ListExecutionsQueryDto): Promise<ExecutionListResponseDto> {
    return this.executions.list(query);
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
