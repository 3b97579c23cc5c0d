import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';

export type LifecyclePhase = 'starting' | 'running' | 'shutting_down';

/**
 * Where the application is in its life, for readiness. `beforeApplicationShutdown` runs before
 * any `onApplicationShutdown` (where the scheduler drains and TypeORM closes), so readiness turns
 * 503 first and the load balancer stops sending traffic while running work finishes.
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private current: LifecyclePhase = 'starting';

  get phase(): LifecyclePhase {
    return this.current;
  }

  onApplicationBootstrap(): void {
    if (this.current === 'starting') {
      this.current = 'running';
    }
  }

  beforeApplicationShutdown(): void {
    this.current = 'shutting_down';
  }
}
