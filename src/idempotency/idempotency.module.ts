import { Global, Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyPurgeService } from './idempotency-purge.service.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/**
 * Idempotent writes (owns `idempotency_keys`). The interceptor is registered as the first
 * APP_INTERCEPTOR in app.module.ts; routes opt in with @Idempotent().
 */
@Global()
@Module({
  providers: [IdempotencyRepository, IdempotencyInterceptor, IdempotencyPurgeService],
  exports: [IdempotencyInterceptor],
})
export class IdempotencyModule {}
