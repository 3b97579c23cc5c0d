import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../core/http/api-responses.js';

export const IDEMPOTENT = 'http:idempotent';

/**
 * Makes a POST route honour `Idempotency-Key` (see IdempotencyInterceptor, registered globally):
 * put it on any create or run route (`POST /api/jobs`, trigger, backfill, replay).
 */
export const Idempotent = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any 1-255 visible ASCII characters (a UUID is a good choice). The first response to a key is stored for 24 h and returned for a repeat by the same caller (with `Idempotent-Replayed: true`); a concurrent repeat waits for the first. The same key with another body is 422.',
      schema: { type: 'string', example: '5f0c6f2e-4a53-4b1e-9d4b-1f3c2a7e9b10' },
    }),
    ApiResponse({
      status: 422,
      description: 'Idempotency-Key reused with another request body or route',
      type: ErrorResponseDto,
    }),
  );
