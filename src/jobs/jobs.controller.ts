import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import { ResponseMessage } from '../core/http/envelope.interceptor.js';
import { UuidParam } from '../core/http/validators.js';
import { ExecutionListResponseDto } from '../executions/dto/execution.response.js';
import { JobExecutionsQueryDto } from '../executions/dto/list-executions.query.js';
import { TriggerThrottle } from '../auth/throttle.decorators.js';
import { BulkResultResponseDto } from './dto/bulk-result.response.js';
import { BulkJobsDto } from './dto/bulk-jobs.dto.js';
import { CreateJobDto } from './dto/create-job.dto.js';
import { JobResponseDto } from './dto/job.response.js';
import { JobStatsResponseDto } from './dto/job-stats.response.js';
import {
  JobDetailResponseDto,
  JobListResponseDto,
  JobPreviewResponseDto,
  TriggerResponseDto,
} from './dto/job-views.response.js';
import { ListJobsQueryDto } from './dto/list-jobs.query.js';
import { PreviewQueryDto } from './dto/preview.query.js';
import { UpcomingQueryDto, UpcomingResponseDto } from './dto/upcoming.dto.js';
import { UpdateJobDto } from './dto/update-job.dto.js';
import { JobActionsService } from './job-actions.service.js';
import { JobsService } from './jobs.service.js';
import { UpcomingSlotsService } from './upcoming.service.js';

const ApiJobId = (): MethodDecorator =>
  ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Job id' });

/** Static paths (stats, bulk) are declared before `:id` so they are never taken for an id. */
@ApiTags('jobs')
@Controller('api/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly actions: JobActionsService,
    private readonly upcomingSlots: UpcomingSlotsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List jobs (newest first) with search, filters and pagination' })
  @ApiEnvelope(JobListResponseDto)
  @ApiErrors()
  list(@Query() query: ListJobsQueryDto): Promise<JobListResponseDto> {
    return this.jobs.list(query);
  }

  @Post()
  @ResponseMessage('Job created successfully')
  @ApiOperation({ summary: 'Create a job' })
  @ApiEnvelope(JobResponseDto, HttpStatus.CREATED, 'Created')
  @ApiErrors(413)
  create(@Body() dto: CreateJobDto): Promise<JobResponseDto> {
    return this.jobs.create(dto);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Job counts by state and type, and execution totals' })
  @ApiEnvelope(JobStatsResponseDto)
  @ApiErrors()
  stats(): Promise<JobStatsResponseDto> {
    return this.jobs.stats();
  }

  @Get('upcoming')
  @ApiOperation({
    summary: 'The soonest slots of all active jobs within the next minutes (at most limit)',
  })
  @ApiEnvelope(UpcomingResponseDto)
  @ApiErrors()
  upcoming(@Query() query: UpcomingQueryDto): Promise<UpcomingResponseDto> {
    return this.upcomingSlots.soonest(query);
  }

  @Post('bulk')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Activate, deactivate, delete or trigger up to 100 jobs',
    description:
      'Per-id results; unknown ids are reported per id. activate/deactivate/delete run in one transaction.',
  })
  @ApiEnvelope(BulkResultResponseDto)
  @ApiErrors(503)
  bulk(@Body() dto: BulkJobsDto): Promise<BulkResultResponseDto> {
    return this.actions.bulk(dto);
  }

  @Get(':id')
  @ApiJobId()
  @ApiOperation({ summary: 'Get a job with its latest 10 executions' })
  @ApiEnvelope(JobDetailResponseDto)
  @ApiErrors(404)
  get(@UuidParam() id: string): Promise<JobDetailResponseDto> {
    return this.jobs.get(id);
  }

  @Put(':id')
  @ApiJobId()
  @ResponseMessage('Job updated successfully')
  @ApiOperation({
    summary: 'Update a job (partial)',
    description:
      'Only the given fields change; the merged job is validated as a whole. null clears a nullable field.',
  })
  @ApiEnvelope(JobResponseDto)
  @ApiErrors(404, 413)
  update(@UuidParam() id: string, @Body() dto: UpdateJobDto): Promise<JobResponseDto> {
    return this.jobs.update(id, dto);
  }

  @Delete(':id')
  @ApiJobId()
  @ResponseMessage('Job deleted successfully')
  @ApiOperation({ summary: 'Delete a job and its execution history' })
  @ApiEnvelope(JobResponseDto, HttpStatus.OK, 'The deleted job')
  @ApiErrors(404)
  remove(@UuidParam() id: string): Promise<JobResponseDto> {
    return this.jobs.remove(id);
  }

  @Post(':id/trigger')
  @TriggerThrottle()
  @ApiJobId()
  @HttpCode(HttpStatus.ACCEPTED)
  @ResponseMessage('Job triggered successfully')
  @ApiOperation({ summary: 'Run a job now (trigger "manual")' })
  @ApiEnvelope(TriggerResponseDto, HttpStatus.ACCEPTED, 'Accepted: the run has started')
  @ApiErrors(404, 409, 503)
  trigger(@UuidParam() id: string): Promise<TriggerResponseDto> {
    return this.actions.trigger(id);
  }

  @Get(':id/executions')
  @ApiJobId()
  @ApiOperation({ summary: "A job's execution history, newest first" })
  @ApiEnvelope(ExecutionListResponseDto)
  @ApiErrors(404)
  executions(
    @UuidParam() id: string,
    @Query() query: JobExecutionsQueryDto,
  ): Promise<ExecutionListResponseDto> {
    return this.jobs.executionsOf(id, query);
  }

  @Get(':id/preview')
  @ApiJobId()
  @ApiOperation({ summary: "The next N fire times, in UTC and in the job's time zone" })
  @ApiEnvelope(JobPreviewResponseDto)
  @ApiErrors(404)
  preview(
    @UuidParam() id: string,
    @Query() query: PreviewQueryDto,
  ): Promise<JobPreviewResponseDto> {
    return this.jobs.preview(id, query.count);
  }
}
