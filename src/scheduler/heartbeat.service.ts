import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../core/time/clock.js';
import { DispatcherService } from './dispatcher.service.js';
import { ExecutionLedgerRepository } from './execution-ledger.repository.js';
import { ReplicasRepository } from './replicas.repository.js';

/**
 * Writes this replica's heartbeat every HEARTBEAT_INTERVAL_MS, and on the same beat aborts the
 * local attempts whose rows were closed elsewhere (a replacing run, or a recovery that wrongly
 * declared this replica lost after a long pause), so no replica keeps working on a closed run.
 */
@Injectable()
export class HeartbeatService {
  private readonly logger = new Logger(HeartbeatService.name);
  private timer: NodeJS.Timeout | undefined;
  private lastBeatMs: number | null = null;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly replicas: ReplicasRepository,
    private readonly ledger: ExecutionLedgerRepository,
    private readonly dispatcher: DispatcherService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get started(): boolean {
    return this.timer !== undefined;
  }

  ageMs(): number | null {
    return this.lastBeatMs === null ? null : this.clock.nowMs() - this.lastBeatMs;
  }

  /** Writes the first beat before returning, so nothing is claimed under an unknown replica. */
  async start(): Promise<void> {
    if (this.timer) {
      return;
    }
    this.timer = setInterval(() => void this.tick(), this.config.scheduler.heartbeatIntervalMs);
    await this.beat();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    try {
      await this.replicas.markStopped(this.config.scheduler.replicaId);
    } catch (e) {
      this.logger.warn(`could not mark replica stopped: ${(e as Error).message}`);
    }
  }

  private async tick(): Promise<void> {
    if (this.beating) {
      return;
    }
    this.beating = (async () => {
      try {
        await this.beat();
        await this.abortClosedElsewhere();
      } catch (e) {
        this.logger.warn(`heartbeat failed: ${(e as Error).message}`);
      }
    })().finally(() => (this.beating = undefined));
    await this.beating;
  }

  private async beat(): Promise<void> {
    await this.replicas.beat(this.config.scheduler.replicaId, hostname());
    this.lastBeatMs = this.clock.nowMs();
  }

  private async abortClosedElsewhere(): Promise<void> {
    const ids = this.dispatcher.runningIds();
    if (ids.length === 0) {
      return;
    }
    for (const id of await this.ledger.findClosed(ids)) {
      this.dispatcher.abort(id, 'closed');
    }
  }
}
