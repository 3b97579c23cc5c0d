import { applyDecorators, HttpStatus, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
  type ApiResponseOptions,
} from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'name' })
  field: string;

  @ApiProperty({ example: 'name must be shorter than or equal to 255 characters' })
  message: string;
}

/** The error envelope every 4xx/5xx body follows (see exception.filter.ts). */
export class ErrorResponseDto {
  @ApiProperty({ example: false })
  success: false;

  @ApiProperty({
    example: 'Validation Error',
    enum: [
      'Validation Error',
      'Unauthorized',
      'Forbidden',
      'Not Found',
      'Conflict',
      'Precondition Failed',
      'Payload Too Large',
      'Unprocessable Entity',
      'Too Many Requests',
      'Internal Server Error',
      'Service Unavailable',
    ],
  })
  error: string;

  @ApiProperty({ example: 'Request validation failed' })
  message: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];

  @ApiPropertyOptional({
    type: 'integer',
    example: 4,
    description: 'On a 412: the version the resource is at now (re-read it and retry)',
  })
  currentVersion?: number;

  @ApiProperty({ example: '2026-01-15T10:30:00.000Z' })
  timestamp: string;

  @ApiProperty({ example: 'b3c1f0e2-6a8d-4f0e-9d55-2f7f6f1d2a10' })
  requestId: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` lists each failed field',
  401: 'Missing or invalid bearer token',
  403: 'The token lacks the role this operation needs',
  404: 'Not found',
  409: 'Conflict with the current state',
  412: 'If-Match names another version; `currentVersion` is the version now (nothing was written)',
  413: 'Request body too large',
  422: 'Idempotency-Key reused with another request body or route',
  429: 'Rate limit exceeded',
  503: 'A required component is not running',
};

/** Bearer auth plus error responses in the envelope schema; 400/401/403/429 on every route. */
export function ApiErrors(...extra: number[]): MethodDecorator & ClassDecorator {
  const statuses = [...new Set([400, 401, 403, 429, ...extra])].sort();
  return applyDecorators(
    ApiBearerAuth(),
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
}

/** Documents `{ success: true, data: <model>, message?, timestamp }` for a success status. */
export function ApiEnvelope(
  model: Type<unknown>,
  status: number = HttpStatus.OK,
  description = 'Success',
  headers?: ApiResponseOptions['headers'],
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description,
      headers,
      schema: {
        type: 'object',
        required: ['success', 'data', 'timestamp'],
        properties: {
          success: { type: 'boolean', example: true },
          data: { $ref: getSchemaPath(model) },
          message: { type: 'string' },
          timestamp: { type: 'string', format: 'date-time' },
        },
      },
    }),
  );
}
