import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdvisoryLock, tryWithAdvisoryLock } from '../core/database/advisory-lock.js';
import { PeriodicTask } from '../core/time/periodic-task.js';

const PURGE_EVERY_MS = 15 * 60_000;

/** Deletes stored responses past their 24 h, at start and every 15 minutes, one replica a round. */
@Injectable()
export class IdempotencyPurgeService extends PeriodicTask {
  private readonly logger = new Logger(IdempotencyPurgeService.name);

  constructor(private readonly dataSource: DataSource) {
    super(PURGE_EVERY_MS);
  }

  async run(): Promise<number | null> {
    try {
      return await tryWithAdvisoryLock(
        this.dataSource,
        AdvisoryLock.IdempotencyUpkeep,
        async (q) => {
          const [, count] = (await q(
            `DELETE FROM idempotency_keys WHERE expires_at <= now()`,
          )) as unknown as [unknown, number];
          return count;
        },
      );
    } catch (e) {
      this.logger.warn(`idempotency purge failed: ${(e as Error).message}`);
      return null;
    }
  }
}
