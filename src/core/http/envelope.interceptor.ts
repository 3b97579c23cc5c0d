import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';

const RAW_RESPONSE = 'raw-response';
const RESPONSE_MESSAGE = 'response-message';

/** Leaves a handler's return value unwrapped (health probes, metrics text). */
export const RawResponse = (): MethodDecorator & ClassDecorator => SetMetadata(RAW_RESPONSE, true);

/** Adds `message` to the success envelope, as the original service did on writes. */
export const ResponseMessage = (message: string): MethodDecorator =>
  SetMetadata(RESPONSE_MESSAGE, message);

export interface SuccessBody<T> {
  success: true;
  data: T;
  message?: string;
  timestamp: string;
}

/** Wraps every controller result in `{ success, data, message?, timestamp }`, once, here. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, targets)) {
      return next.handle();
    }
    const message = this.reflector.getAllAndOverride<string | undefined>(RESPONSE_MESSAGE, targets);
    return next.handle().pipe(
      map((data: unknown): SuccessBody<unknown> => ({
        success: true,
        data: data ?? null,
        ...(message ? { message } : {}),
        timestamp: new Date().toISOString(),
      })),
    );
  }
}
