import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { publicReason, withTimeout } from './with-timeout.js';

export const DATABASE_CHECK_TIMEOUT_MS = 2000;

/** `SELECT 1` through the app's own pool, so a broken pool shows here as well as a dead server. */
@Injectable()
export class DatabaseIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key = 'database'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    const started = performance.now();
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), DATABASE_CHECK_TIMEOUT_MS);
      return session.up({ latency: Math.round(performance.now() - started) });
    } catch (e) {
      return session.down({
        message: publicReason(e),
        latency: Math.round(performance.now() - started),
      });
    }
  }
}
