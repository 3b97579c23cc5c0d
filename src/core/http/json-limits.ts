import type { NextFunction, Request, Response } from 'express';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { ValidationFailedError } from '../errors/app-error.js';

/**
 * Depth of a JSON value without recursion (a 1 MB body can nest half a million levels):
 * a scalar is 0, `{}` and `[]` are 1, `{"a":[1]}` is 2.
 */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') {
      continue;
    }
    max = Math.max(max, d + 1);
    for (const child of Object.values(v as Record<string, unknown>)) {
      stack.push({ v: child, d: d + 1 });
    }
  }
  return max;
}

/** Size in bytes of the value serialised as compact JSON (what PostgreSQL jsonb roughly stores). */
export function jsonByteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export interface JsonSizeLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * Class-validator rule for free-form JSON fields (`payload`, `target.headers`, `target.body`):
 * `@JsonSize({ maxBytes: 64 * 1024, maxDepth: 10 })`, so a job cannot store megabytes of JSON.
 */
export function JsonSize(limits: JsonSizeLimits, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'jsonSize',
      constraints: [limits],
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          (jsonDepth(value) <= limits.maxDepth && jsonByteSize(value) <= limits.maxBytes),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be JSON of at most ${limits.maxBytes} bytes ` +
          `nested at most ${limits.maxDepth} levels`,
      },
    },
    options,
  );
}

/** Deepest JSON request body accepted anywhere; deeper nesting only ever comes from abuse. */
export const MAX_BODY_DEPTH = 32;

/**
 * Express middleware after the JSON body parser: refuses bodies nested deeper than `maxDepth`
 * with 400 before class-transformer walks them recursively (a deep enough body would overflow
 * its stack and surface as a 500).
 */
export function bodyDepthLimit(maxDepth = MAX_BODY_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (jsonDepth(req.body) > maxDepth) {
      next(
        new ValidationFailedError(
          [{ field: 'body', message: `must be nested at most ${maxDepth} levels` }],
          'Request body is nested too deeply',
        ),
      );
      return;
    }
    next();
  };
}
