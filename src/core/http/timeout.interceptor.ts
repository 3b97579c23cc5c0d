import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { type Observable, throwError, timeout } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppError } from '../errors/app-error.js';

export class RequestTimeoutError extends AppError {
  constructor(ms: number) {
    super('SERVICE_UNAVAILABLE', `The request did not complete within ${ms} ms`);
  }
}

/**
 * Answers 503 in the error envelope when a handler runs past REQUEST_TIMEOUT_MS, so a stuck
 * database call does not hold the client forever. The handler's work is not cancelled (Node
 * cannot abort a running query from here); its late result is dropped.
 */
@Injectable()
export class TimeoutInterceptor implements NestInterceptor {
  private readonly ms: number;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'http'>) {
    this.ms = config.http.requestTimeoutMs;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    return next
      .handle()
      .pipe(
        timeout({ first: this.ms, with: () => throwError(() => new RequestTimeoutError(this.ms)) }),
      );
  }
}
