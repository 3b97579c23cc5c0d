import {
  HttpException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { AppError, ValidationFailedError, type ErrorDetail } from '../errors/app-error.js';

/** Flattens class-validator's tree into `[{ field: 'target.url', message }]`, one per failed rule. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ field, message });
    }
    if (e.children && e.children.length > 0) {
      out.push(...flattenValidationErrors(e.children, field));
    }
  }
  return out;
}

/**
 * class-transformer can throw on shapes no DTO expects (a discriminated nested field given
 * `[null]` dereferences null before any rule runs). Such input is the client's fault: 400, not 500.
 */
class SafeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (e) {
      if (e instanceof AppError || e instanceof HttpException) {
        throw e;
      }
      throw new ValidationFailedError([
        { field: metadata.type, message: 'has a shape that does not match the expected schema' },
      ]);
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new SafeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
