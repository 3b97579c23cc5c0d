import { describe, expect, it } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, NEVER, of } from 'rxjs';
import { RequestTimeoutError, TimeoutInterceptor } from './timeout.interceptor.js';

const http = { getType: () => 'http' } as unknown as ExecutionContext;
const handler = (result: unknown): CallHandler => ({ handle: () => result as never });

describe(TimeoutInterceptor.name, () => {
  const interceptor = new TimeoutInterceptor({ http: { requestTimeoutMs: 50 } } as never);

  it('fails a handler that does not answer in time with a 503-coded error', async () => {
    await expect(
      firstValueFrom(interceptor.intercept(http, handler(NEVER))),
    ).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('passes a prompt result through', async () => {
    await expect(firstValueFrom(interceptor.intercept(http, handler(of(42))))).resolves.toBe(42);
  });
});
