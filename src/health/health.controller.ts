import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { RawResponse } from '../core/http/envelope.interceptor.js';

/** Minimal legacy /health (database only); the operations work replaces it with terminus probes. */
@ApiExcludeController()
@RawResponse()
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const started = performance.now();
    let up = true;
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      up = false;
    }
    const latency = Math.round(performance.now() - started);
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const { rss, heapTotal, heapUsed } = process.memoryUsage();
    return {
      status: up ? 'healthy' : 'degraded',
      timestamp: new Date().toISOString(),
      uptime: Math.round(process.uptime()),
      services: { database: { status: up ? 'up' : 'down', latency } },
      memory: { rss, heapTotal, heapUsed },
    };
  }
}
