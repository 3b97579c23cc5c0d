import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { DB_RETRY_AFTER_S, isDatabaseUnavailable } from '../database/db-errors.js';
import {
  AppError,
  assertUnreachable,
  type ErrorCode,
  type ErrorDetail,
} from '../errors/app-error.js';
import type { AppRequest } from './request-context.js';

export interface ErrorBody {
  success: false;
  error: string;
  message: string;
  details?: ErrorDetail[];
  timestamp: string;
  requestId?: string;
}

function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return HttpStatus.BAD_REQUEST;
    case 'NOT_FOUND':
    case 'JOB_NOT_FOUND':
    case 'EXECUTION_NOT_FOUND':
    case 'USER_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'CONFLICT':
    case 'JOB_RUNNING':
      return HttpStatus.CONFLICT;
    case 'UNAUTHORIZED':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN':
    case 'TARGET_REFUSED':
      return code === 'TARGET_REFUSED' ? HttpStatus.BAD_REQUEST : HttpStatus.FORBIDDEN;
    case 'PAYLOAD_TOO_LARGE':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'PRECONDITION_FAILED':
      return HttpStatus.PRECONDITION_FAILED;
    case 'IDEMPOTENCY_KEY_REUSED':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'RATE_LIMITED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'SERVICE_UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'INTERNAL':
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}

/** The contract's `error` word comes from the status alone. */
export function errorWord(status: number): string {
  switch (status) {
    case 400:
      return 'Validation Error';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 405:
      return 'Method Not Allowed';
    case 408:
      return 'Request Timeout';
    case 409:
      return 'Conflict';
    case 412:
      return 'Precondition Failed';
    case 413:
      return 'Payload Too Large';
    case 415:
      return 'Unsupported Media Type';
    case 422:
      return 'Unprocessable Entity';
    case 429:
      return 'Too Many Requests';
    case 503:
      return 'Service Unavailable';
    default:
      return status >= 500 ? 'Internal Server Error' : 'Bad Request';
  }
}

/** body-parser and other connect middleware throw plain errors carrying a 4xx `status`. */
function isClientHttpError(e: unknown): e is { status: number; type?: string; message: string } {
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function messageOf(exception: HttpException): string {
  const res = exception.getResponse();
  if (typeof res === 'string') {
    return res;
  }
  const m = (res as { message?: unknown }).message;
  if (Array.isArray(m)) {
    return m.join('; ');
  }
  return typeof m === 'string' ? m : exception.message;
}

function parserErrorType(cause: unknown): string {
  const type = (cause as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' ? type : '';
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.too.large': 'Request body is larger than the allowed limit',
  'entity.parse.failed': 'Request body is not valid JSON',
  'encoding.unsupported': 'Unsupported request body encoding',
  'charset.unsupported': 'Unsupported request body charset',
};

/**
 * One place turns every thrown thing into the error envelope. Only messages we wrote reach the
 * client; driver and framework internals are logged with the request id and answered as 500,
 * except database unavailability (refused, reset, starting up, pool timeout): 503 with
 * Retry-After, like every other 503 (draining scheduler).
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<AppRequest>();
    const res = ctx.getResponse<Response>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'An unexpected error occurred';
    let details: ErrorDetail[] | undefined;
    let extra: Record<string, unknown> | undefined;

    if (exception instanceof AppError) {
      status = statusOf(exception.code);
      message = exception.message;
      details = exception.details;
      extra = exception.extra;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      // Nest wraps body-parser errors; their own text ("Unexpected end of JSON input") is
      // replaced by ours, keyed by body-parser's error type.
      const parser = parserErrorType(exception.cause);
      message = status >= 500 ? message : (BODY_PARSER_MESSAGES[parser] ?? messageOf(exception));
    } else if (isClientHttpError(exception)) {
      status = exception.status;
      message = BODY_PARSER_MESSAGES[exception.type ?? ''] ?? errorWord(status);
    } else if (isDatabaseUnavailable(exception)) {
      // An outage is retryable; a client must be able to tell it from a bug (500).
      status = HttpStatus.SERVICE_UNAVAILABLE;
      message = 'The database is unavailable; retry later';
    }
    if (status >= 500) {
      this.logger.error(
        { err: exception, requestId: req.id, method: req.method, url: req.originalUrl },
        'request failed',
      );
      if (status === 500) {
        message = 'An unexpected error occurred';
      }
    }
    if (res.headersSent) {
      return;
    }
    const body: ErrorBody = {
      success: false,
      error: errorWord(status),
      message,
      ...(details && details.length > 0 ? { details } : {}),
      ...extra,
      timestamp: new Date().toISOString(),
      requestId:
        typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : undefined,
    };
    if (status === 503) {
      res.setHeader('Retry-After', String(DB_RETRY_AFTER_S));
    }
    res.status(status).json(body);
  }
}
