import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DispatcherService } from '../runs/dispatcher.service.js';
import { ExecutionLedgerRepository } from '../../executions/execution-ledger.repository.js';
import { ReplicaSession } from './replica-session.js';

/**
 * Writes this replica's heartbeat every HEARTBEAT_INTERVAL_MS on its liveness session (which also
 * holds the replica's session lock, see ReplicaSession), and on the same beat aborts the local
 * attempts whose rows were closed elsewhere (a replacing run, or a recovery that declared this
 * replica lost while it was cut off), so no replica keeps working on a closed run.
 */
@Injectable()
export class HeartbeatService {
  private readonly logger = new Logger(HeartbeatService.name);
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly session: ReplicaSession,
    private readonly ledger: ExecutionLedgerRepository,
    private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get started(): boolean {
    return this.timer !== undefined;
  }

  /** The session lock is held and beating: claims may proceed. */
  get healthy(): boolean {
    return this.session.healthy;
  }

  /** How long this replica has been connected and beating without a break. */
  steadyForMs(): number {
    return this.session.steadyForMs();
  }

  ageMs(): number | null {
    return this.session.ageMs();
  }

  /**
   * Starts beating and waits (up to `timeoutMs`) until the session lock is held and the first
   * beat written, so nothing is claimed under an unknown or unlocked replica.
   */
  async start(timeoutMs = Infinity): Promise<boolean> {
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.config.scheduler.heartbeatIntervalMs);
    }
    return this.session.open(timeoutMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.session.close();
  }

  private async tick(): Promise<void> {
    if (this.beating) {
      return;
    }
    this.beating = (async () => {
      try {
        await this.session.beat();
        await this.abortClosedElsewhere();
      } catch (e) {
        this.logger.warn(`heartbeat failed: ${(e as Error).message}`);
      }
    })().finally(() => (this.beating = undefined));
    await this.beating;
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
