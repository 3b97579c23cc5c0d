import type { NextFunction, Request, Response } from 'express';
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

/** Deepest JSON request body accepted anywhere; deeper nesting only ever comes from abuse. */
export const MAX_BODY_DEPTH = 32;

/**
 * Dotted path of the first string (key or value) holding U+0000, which PostgreSQL refuses:
 * `'name'`, `'tags.0'`, `'payload.a'` ('' for the value itself); null when there is none.
 */
export function nulCharPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) {
        return path;
      }
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
        if (key.includes('\u0000')) {
          return path;
        }
        stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

export function hasNulChar(value: unknown): boolean {
  return nulCharPath(value) !== null;
}

function inputProblem(req: Request, maxDepth: number): { field: string; message: string } | null {
  if (jsonDepth(req.body) > maxDepth) {
    return { field: 'body', message: `must be nested at most ${maxDepth} levels` };
  }
  const inBody = nulCharPath(req.body);
  if (inBody !== null) {
    return { field: inBody || 'body', message: 'must not contain the NUL character (\\u0000)' };
  }
  const inQuery = nulCharPath(req.query);
  if (inQuery !== null) {
    return { field: inQuery || 'query', message: 'must not contain the NUL character' };
  }
  return null;
}

/**
 * Express middleware after the JSON body parser, for every route: refuses with 400
 * - bodies nested deeper than `maxDepth`, before class-transformer walks them recursively (a
 *   deep enough body overflows its stack and surfaced as a 500);
 * - NUL characters in body or query strings, which PostgreSQL text and jsonb cannot store (the
 *   driver error surfaced as a 500 instead of a 400 naming the field).
 */
export function jsonInputLimits(maxDepth = MAX_BODY_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const problem = inputProblem(req, maxDepth);
    next(
      problem ? new ValidationFailedError([problem], 'Request input is not acceptable') : undefined,
    );
  };
}
