import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { catchError, from, mergeMap, of, switchMap, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError, ValidationFailedError } from '../core/errors/app-error.js';
import type { AppRequest } from '../core/http/request-context.js';
import { Clock } from '../core/time/clock.js';
import { IDEMPOTENT } from './idempotent.decorator.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** 1..255 visible ASCII characters (no spaces), as the header's drafts and Stripe allow. */
const KEY = /^[\x21-\x7e]{1,255}$/;
const FIRST_WAIT_MS = 20;
const MAX_WAIT_MS = 250;

type Outcome = { kind: 'run' } | { kind: 'replay'; status: number; body: unknown };

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request (body or route); use a new key',
    );
  }
}

export class IdempotencyKeyInProgressError extends AppError {
  constructor() {
    super('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry later');
  }
}

/**
 * Global, and first among the interceptors so it stores and replays the whole enveloped body;
 * acts only on routes marked @Idempotent() that receive an `Idempotency-Key` header.
 * - The first request with a key (per caller) takes it (a primary-key insert, see
 *   IdempotencyRepository.claim), runs, and stores its 2xx status and body for 24 h.
 * - A repeat gets that status and body (`Idempotent-Replayed: true`); one arriving while the
 *   first still runs waits for it (polling the row, holding no connection), up to
 *   REQUEST_TIMEOUT_MS, then 409.
 * - The same key with another body or route: 422. A failed first request (4xx/5xx) stores
 *   nothing: the key is released and a retry runs anew.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (
      context.getType() !== 'http' ||
      !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())
    ) {
      return next.handle();
    }
    const req = context.switchToHttp().getRequest<AppRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = parseKey(req.headers['idempotency-key']);
    if (key === undefined) {
      return next.handle();
    }
    const caller = req.user
      ? `${req.user.apiKeyPrefix ? 'key' : 'user'}:${req.user.sub}`
      : `ip:${req.ip ?? ''}`;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.baseUrl}${req.path}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');
    return from(this.begin(caller, key, hash)).pipe(
      switchMap((outcome) => {
        if (outcome.kind === 'replay') {
          res.status(outcome.status);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(outcome.body);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.keys.complete(caller, key, res.statusCode, JSON.stringify(body));
            return body;
          }),
          catchError((e: unknown) =>
            from(this.keys.release(caller, key).catch(() => undefined)).pipe(
              mergeMap(() => Promise.reject(e as Error)),
            ),
          ),
        );
      }),
    );
  }

  private async begin(caller: string, key: string, hash: string): Promise<Outcome> {
    const timeoutMs = this.config.http.requestTimeoutMs;
    const deadline = this.clock.nowMs() + timeoutMs;
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, MAX_WAIT_MS)) {
      // The owner's lock outlives its own request timeout, so only a crashed owner is taken over.
      if (await this.keys.claim(caller, key, hash, 2 * timeoutMs)) {
        return { kind: 'run' };
      }
      const row = await this.keys.find(caller, key);
      if (row && row.requestHash !== hash) {
        throw new IdempotencyKeyReusedError();
      }
      if (row?.state === 'done' && row.statusCode !== null && row.response !== null) {
        return { kind: 'replay', status: row.statusCode, body: JSON.parse(row.response) };
      }
      if (this.clock.nowMs() >= deadline) {
        throw new IdempotencyKeyInProgressError();
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function parseKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) {
    return undefined;
  }
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!KEY.test(value)) {
    throw new ValidationFailedError([
      {
        field: 'Idempotency-Key',
        message: 'Idempotency-Key must be 1-255 visible ASCII characters without spaces',
      },
    ]);
  }
  return value;
}
