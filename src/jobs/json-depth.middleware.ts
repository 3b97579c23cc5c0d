import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError } from '../core/errors/app-error.js';
import { depthOf } from '../core/http/validators.js';

/** Deeper than any valid job body (payload ≤ 10 levels inside the body and target). */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses absurdly nested JSON before the validation pipe: class-transformer copies bodies
 * recursively and would overflow the stack (a 500) on e.g. 100,000 nested arrays, which fit in
 * the body limit.
 */
@Injectable()
export class JsonDepthMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (depthOf(req.body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
      throw new ValidationFailedError([
        { field: 'body', message: `body must be nested at most ${MAX_BODY_DEPTH} levels deep` },
      ]);
    }
    next();
  }
}
