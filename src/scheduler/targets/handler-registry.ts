import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JobHandler, type JobHandlerInstance } from './job-handler.js';

/**
 * The named in-process handlers, collected at start from every provider decorated with
 * `@JobHandler(name)`. `names()` is what target validation should accept.
 */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger(HandlerRegistry.name);
  private readonly handlers = new Map<string, JobHandlerInstance>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: JobHandler.KEY })) {
      const name = this.discovery.getMetadataByDecorator(JobHandler, wrapper);
      const instance = wrapper.instance as JobHandlerInstance | undefined;
      if (!name || typeof instance?.handle !== 'function') {
        continue;
      }
      if (this.handlers.has(name)) {
        throw new Error(`two job handlers are named "${name}"`);
      }
      this.handlers.set(name, instance);
    }
    this.logger.log(`job handlers: ${this.names().join(', ')}`);
  }

  get(name: string): JobHandlerInstance | undefined {
    return this.handlers.get(name);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
