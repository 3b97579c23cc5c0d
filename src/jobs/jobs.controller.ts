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
import { AuditListResponseDto, ResourceAuditQueryDto } from '../audit/dto/audit.dto.js';
import { ApiEnvelope, ApiErrors } from '../core/http/api-responses.js';
import {
  ApiIfMatch,
  ETAG_HEADER,
  IfMatch,
  SendsETag,
  type IfMatchCondition,
} from '../core/http/etag.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
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
import { JobPauseService } from './job-pause.service.js';
import { PauseJobDto } from './dto/pause-job.dto.js';
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
    private readonly pauses: JobPauseService,
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
  @Idempotent()
  @ResponseMessage('Job created successfully')
  @ApiOperation({ summary: 'Create a job' })
  @ApiEnvelope(JobResponseDto, HttpStatus.CREATED, 'Created')
  @ApiErrors(413, 422)
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
    summary: 'Activate, deactivate, delete, trigger, pause or resume up to 100 jobs',
    description:
      'Per-id results; unknown ids are reported per id. All but trigger run in one transaction. pause takes optional until and note (as POST /api/jobs/{id}/pause).',
  })
  @ApiEnvelope(BulkResultResponseDto)
  @ApiErrors(503)
  bulk(@Body() dto: BulkJobsDto): Promise<BulkResultResponseDto> {
    return this.actions.bulk(dto);
  }

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Preview the slots of a job before creating it (nothing is written)',
    description:
      'Takes a create body, validated as POST /api/jobs (400 per field). A draft has no id yet, so its slots are nominal: jitter, derived from the id, shows in the preview of the created job.',
  })
  @ApiEnvelope(JobPreviewResponseDto)
  @ApiErrors(413)
  previewDraft(
    @Body() dto: CreateJobDto,
    @Query() query: PreviewQueryDto,
  ): Promise<JobPreviewResponseDto> {
    return this.jobs.previewDraft(dto, query);
  }

  @Get(':id')
  @ApiJobId()
  @ApiOperation({ summary: 'Get a job with its latest 10 executions' })
  @ApiEnvelope(JobDetailResponseDto, HttpStatus.OK, 'Success', ETAG_HEADER)
  @SendsETag((d) => (d as JobDetailResponseDto).job.version)
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
  @ApiIfMatch('job')
  @ApiEnvelope(JobResponseDto, HttpStatus.OK, 'Success', ETAG_HEADER)
  @SendsETag()
  @ApiErrors(404, 412, 413)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateJobDto,
    @IfMatch() ifMatch: IfMatchCondition,
  ): Promise<JobResponseDto> {
    return this.jobs.update(id, dto, ifMatch);
  }

  @Delete(':id')
  @ApiJobId()
  @ResponseMessage('Job deleted successfully')
  @ApiOperation({ summary: 'Delete a job and its execution history' })
  @ApiIfMatch('job')
  @ApiEnvelope(JobResponseDto, HttpStatus.OK, 'The deleted job')
  @ApiErrors(404, 412)
  remove(@UuidParam() id: string, @IfMatch() ifMatch: IfMatchCondition): Promise<JobResponseDto> {
    return this.jobs.remove(id, ifMatch);
  }

  @Post(':id/trigger')
  @Idempotent()
  @TriggerThrottle()
  @ApiJobId()
  @HttpCode(HttpStatus.ACCEPTED)
  @ResponseMessage('Job triggered successfully')
  @ApiOperation({ summary: 'Run a job now (trigger "manual")' })
  @ApiEnvelope(TriggerResponseDto, HttpStatus.ACCEPTED, 'Accepted: the run has started')
  @ApiErrors(404, 409, 422, 503)
  trigger(@UuidParam() id: string): Promise<TriggerResponseDto> {
    return this.actions.trigger(id);
  }

  @Post(':id/pause')
  @ApiJobId()
  @HttpCode(HttpStatus.OK)
  @ResponseMessage('Job paused')
  @ApiOperation({
    summary: 'Pause a job, optionally until an instant, with a note',
    description:
      'The job stops firing (isActive false, pausedAt set). With until it resumes by itself then, on whichever replica is up; slots of the pause are not caught up. Pausing a paused job changes its until and note.',
  })
  @ApiEnvelope(JobResponseDto)
  @ApiErrors(404, 409)
  async pause(@UuidParam() id: string, @Body() dto: PauseJobDto): Promise<JobResponseDto> {
    await this.pauses.pause(id, this.pauses.pauseOf(dto));
    return this.jobs.one(id);
  }

  @Post(':id/resume')
  @ApiJobId()
  @HttpCode(HttpStatus.OK)
  @ResponseMessage('Job resumed')
  @ApiOperation({
    summary: 'Resume a paused job now',
    description: 'It fires from its first slot after now; the slots of the pause are skipped.',
  })
  @ApiEnvelope(JobResponseDto)
  @ApiErrors(404, 409)
  async resume(@UuidParam() id: string): Promise<JobResponseDto> {
    await this.pauses.resume(id);
    return this.jobs.one(id);
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

  @Get(':id/audit')
  @ApiJobId()
  @ApiOperation({
    summary: "A job's audit trail, newest first (kept after the job is deleted)",
    description:
      'Who created, changed, activated, deactivated, triggered or deleted the job, with the changed fields before and after.',
  })
  @ApiEnvelope(AuditListResponseDto)
  @ApiErrors()
  audit(
    @UuidParam() id: string,
    @Query() query: ResourceAuditQueryDto,
  ): Promise<AuditListResponseDto> {
    return this.jobs.auditOf(id, query);
  }

  @Get(':id/preview')
  @ApiJobId()
  @ApiOperation({
    summary: "The next N fire times, in UTC and in the job's time zone, and the schedule in words",
    description:
      'Slots after the window (startAt/endAt), the pause, the run limit and jitter; includeSkipped=true lists the slots that will not fire with their reason.',
  })
  @ApiEnvelope(JobPreviewResponseDto)
  @ApiErrors(404)
  preview(
    @UuidParam() id: string,
    @Query() query: PreviewQueryDto,
  ): Promise<JobPreviewResponseDto> {
    return this.jobs.preview(id, query);
  }
}
