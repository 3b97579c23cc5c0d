import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type { AppEvents } from './app-events.js';

type Handler<K extends keyof AppEvents> = (event: AppEvents[K]) => void;

/**
 * Typed, synchronous in-process bus. Handlers run inline and must be cheap (counters, logs);
 * a throwing handler is logged and never breaks the publisher.
 */
@Injectable()
export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  private readonly logger = new Logger(EventBus.name);

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  publish<K extends keyof AppEvents>(name: K, event: AppEvents[K]): void {
    for (const listener of this.emitter.listeners(name) as Handler<K>[]) {
      try {
        listener(event);
      } catch (e) {
        this.logger.warn(`event handler for ${name} threw: ${(e as Error).message}`);
      }
    }
  }

  /** How many handlers listen to `name` (tests check that subscribers do not leak). */
  listenerCount(name: keyof AppEvents): number {
    return this.emitter.listenerCount(name);
  }

  subscribe<K extends keyof AppEvents>(name: K, handler: Handler<K>): () => void {
    this.emitter.on(name, handler);
    return () => this.emitter.off(name, handler);
  }
}
