import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AdvisoryLock, tryWithAdvisoryLock } from '../core/database/advisory-lock.js';
import { PeriodicTask } from '../core/time/periodic-task.js';

const UPKEEP_EVERY_MS = 60 * 60_000;
const MONTHS_AHEAD = 2;

/**
 * Creates the next months' audit partitions and drops those past AUDIT_RETENTION_DAYS, at start
 * and hourly; one replica at a time (the others skip the round). Dropping a month is a DETACH +
 * DROP, not a DELETE of its rows: cheap at millions of rows.
 */
@Injectable()
export class AuditUpkeepService extends PeriodicTask {
  private readonly logger = new Logger(AuditUpkeepService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(UPKEEP_EVERY_MS);
  }

  /** Rows removed, or null when another replica did this round or the database failed. */
  async run(): Promise<number | null> {
    try {
      return await tryWithAdvisoryLock(this.dataSource, AdvisoryLock.AuditUpkeep, async (q) => {
        await q(
          `SELECT ensure_month_partition('audit_log', 'at', now() + make_interval(months => i))
           FROM generate_series(0, $1::int) AS i`,
          [MONTHS_AHEAD],
        );
        const [row] = (await q('SELECT cleanup_old_audit($1) AS removed', [
          this.config.audit.retentionDays,
        ])) as { removed: string }[];
        this.logger.log(`audit upkeep done; ${row.removed} old audit row(s) removed`);
        return Number(row.removed);
      });
    } catch (e) {
      this.logger.warn(`audit upkeep failed: ${(e as Error).message}`);
      return null;
    }
  }
}
