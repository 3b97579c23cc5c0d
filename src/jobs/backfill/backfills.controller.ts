import { Idempotent } from '../../idempotency/idempotent.decorator.js';
import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TriggerThrottle } from '../../auth/throttle.decorators.js';
import { ApiEnvelope, ApiErrors } from '../../core/http/api-responses.js';
import { ResponseMessage } from '../../core/http/envelope.interceptor.js';
import { PaginationQueryDto } from '../../core/http/pagination.dto.js';
import type { AppRequest } from '../../core/http/request-context.js';
import { UuidParam } from '../../core/http/validators.js';
import { CreateBackfillDto } from './backfill.dto.js';
import {
  BackfillCreatedResponseDto,
  BackfillListResponseDto,
  BackfillResponseDto,
} from './backfill.response.js';
import { BackfillsService } from './backfills.service.js';

const ApiJobId = (): MethodDecorator =>
  ApiParam({ name: 'id', type: String, format: 'uuid', description: 'Job id' });
const ApiBackfillId = (): MethodDecorator =>
  ApiParam({ name: 'backfillId', type: String, format: 'uuid', description: 'Backfill id' });

@ApiTags('jobs')
@Controller('api/jobs')
export class BackfillsController {
  constructor(private readonly backfills: BackfillsService) {}

  @Post(':id/backfill')
  @TriggerThrottle()
  @Idempotent()
  @ApiJobId()
  @HttpCode(HttpStatus.ACCEPTED)
  @ResponseMessage('Backfill accepted')
  @ApiOperation({
    summary: "Run the job's slots of [from, to] one after another (trigger backfill)",
    description:
      'At most 1000 slots; slots an excluded calendar covers are left out. Runs honour the concurrency policy (they wait while another run is running unless it is allow). dryRun: true answers 200 with the slots and stores nothing.',
  })
  @ApiEnvelope(BackfillCreatedResponseDto, HttpStatus.ACCEPTED, 'Accepted: runs start shortly')
  @ApiEnvelope(BackfillCreatedResponseDto, HttpStatus.OK, 'Dry run: the slots, nothing stored')
  @ApiErrors(404)
  async create(
    @UuidParam() id: string,
    @Body() dto: CreateBackfillDto,
    @Req() req: AppRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BackfillCreatedResponseDto> {
    const out = await this.backfills.create(id, dto, req.user?.username ?? null);
    if (out.dryRun) {
      res.status(HttpStatus.OK);
    }
    return out;
  }

  @Get(':id/backfills')
  @ApiJobId()
  @ApiOperation({ summary: "A job's backfills, newest first" })
  @ApiEnvelope(BackfillListResponseDto)
  @ApiErrors(404)
  list(
    @UuidParam() id: string,
    @Query() query: PaginationQueryDto,
  ): Promise<BackfillListResponseDto> {
    return this.backfills.list(id, query);
  }

  @Get(':id/backfills/:backfillId')
  @ApiJobId()
  @ApiBackfillId()
  @ApiOperation({ summary: "A backfill's progress" })
  @ApiEnvelope(BackfillResponseDto)
  @ApiErrors(404)
  get(
    @UuidParam() id: string,
    @UuidParam('backfillId') backfillId: string,
  ): Promise<BackfillResponseDto> {
    return this.backfills.get(id, backfillId);
  }

  @Post(':id/backfills/:backfillId/cancel')
  @ApiJobId()
  @ApiBackfillId()
  @HttpCode(HttpStatus.OK)
  @ResponseMessage('Backfill cancelled')
  @ApiOperation({
    summary: 'Cancel a running backfill',
    description: 'No further slot starts; a run already going finishes. 409 when not running.',
  })
  @ApiEnvelope(BackfillResponseDto)
  @ApiErrors(404, 409)
  cancel(
    @UuidParam() id: string,
    @UuidParam('backfillId') backfillId: string,
  ): Promise<BackfillResponseDto> {
    return this.backfills.cancel(id, backfillId);
  }
}
