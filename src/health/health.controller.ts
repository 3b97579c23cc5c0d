import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RawResponse } from '../core/http/envelope.interceptor.js';
import { HealthService, type ProbeAnswer } from './health.service.js';

function answer<T>(res: Response, probe: ProbeAnswer<T>): T {
  res.status(probe.httpStatus);
  res.setHeader('Cache-Control', 'no-store');
  return probe.body;
}

/** Probes answer in their own shapes (terminus and the original /health), never enveloped. */
@ApiTags('health')
@RawResponse()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Overall health (the original shape); 503 "degraded" when down' })
  @ApiResponse({ status: 503, description: 'database or scheduler down' })
  async overall(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    return answer(res, await this.health.legacy());
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process and its event loop (ignores the database)' })
  live(@Res({ passthrough: true }) res: Response): unknown {
    return answer(res, this.health.live());
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database, migrations, scheduler; 503 while starting or shutting down',
  })
  @ApiResponse({ status: 503, description: 'not ready' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    return answer(res, await this.health.ready());
  }
}
