import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AdvisoryLock } from '../core/database/advisory-lock.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { SCHEDULER_DB } from '../core/database/data-source.js';

export const PARTITION_UPKEEP_TIMER = 'internal:partition-upkeep';
const UPKEEP_EVERY_MS = 60 * 60_000;
const MONTHS_AHEAD = 2;

/**
 * Internal job of the scheduler: creates the next months' execution partitions and drops those
 * past EXECUTION_RETENTION_DAYS, at start and hourly. One replica does it at a time
 * (pg_try_advisory_lock: the others skip this round instead of queueing up behind it).
 */
@Injectable()
export class PartitionUpkeepService {
  private readonly logger = new Logger(PartitionUpkeepService.name);

  constructor(
    @InjectDataSource(SCHEDULER_DB) private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(): void {
    if (!this.registry.doesExist('interval', PARTITION_UPKEEP_TIMER)) {
      this.registry.addInterval(
        PARTITION_UPKEEP_TIMER,
        setInterval(() => void this.run(), UPKEEP_EVERY_MS),
      );
    }
    void this.run();
  }

  stop(): void {
    if (this.registry.doesExist('interval', PARTITION_UPKEEP_TIMER)) {
      this.registry.deleteInterval(PARTITION_UPKEEP_TIMER);
    }
  }

  /** Returns false when another replica holds the lock (nothing done). */
  async run(): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [
        AdvisoryLock.PartitionUpkeep,
      ])) as { ok: boolean }[];
      if (!lock.ok) {
        return false;
      }
      try {
        await runner.query('SELECT ensure_execution_partitions($1)', [MONTHS_AHEAD]);
        const [row] = (await runner.query('SELECT cleanup_old_executions($1) AS removed', [
          this.config.scheduler.executionRetentionDays,
        ])) as { removed: string }[];
        this.logger.log(`partition upkeep done; ${row.removed} old execution(s) removed`);
        return true;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.PartitionUpkeep]);
      }
    } catch (e) {
      this.logger.warn(`partition upkeep failed: ${(e as Error).message}`);
      return false;
    } finally {
      await runner.release();
    }
  }
}
