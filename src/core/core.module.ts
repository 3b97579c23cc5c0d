import { Global, Module } from '@nestjs/common';
import { EventBus } from './events/event-bus.js';
import { Clock } from './time/clock.js';

/**
 * The cross-cutting services every module may inject, provided once: the clock (the one source of
 * "now", replaced in tests) and the in-process event bus.
 */
@Global()
@Module({ providers: [Clock, EventBus], exports: [Clock, EventBus] })
export class CoreModule {}
