import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MigrationsRunner } from '../../core/database/migrations.runner.js';
import { Clock } from '../../core/time/clock.js';
import { publicReason, withTimeout } from './with-timeout.js';

const TIMEOUT_MS = 2000;
/** Once applied, migrations stay applied for this build; re-check rarely. */
const UP_TTL_MS = 60_000;
/** While pending (another replica is migrating), re-check soon but not on every probe. */
const DOWN_TTL_MS = 2_000;

/**
 * Readiness refuses traffic until every migration this build knows is applied. The answer is
 * cached because `showMigrations()` reads the migrations table and probes come every few seconds
 * from every kubelet.
 */
@Injectable()
export class MigrationsIndicator {
  private cached: { upToDate: boolean; until: number } | null = null;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly runner: MigrationsRunner,
    private readonly clock: Clock,
  ) {}

  async check(key = 'migrations'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    try {
      return (await this.upToDate())
        ? session.up()
        : session.down({ message: 'pending migrations' });
    } catch (e) {
      return session.down({ message: publicReason(e) });
    }
  }

  private async upToDate(): Promise<boolean> {
    const now = this.clock.nowMs();
    if (this.cached && this.cached.until > now) {
      return this.cached.upToDate;
    }
    const upToDate = await withTimeout(this.runner.isUpToDate(), TIMEOUT_MS);
    this.cached = { upToDate, until: now + (upToDate ? UP_TTL_MS : DOWN_TTL_MS) };
    return upToDate;
  }
}
