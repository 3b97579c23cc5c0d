import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { AppError, ValidationFailedError } from '../errors/app-error.js';
import type { AppRequest } from './request-context.js';

/**
 * Optimistic concurrency for any versioned resource (jobs, calendars, notification channels):
 * the resource's integer `version` is its strong ETag `"<version>"`; a write carrying
 * `If-Match` names the versions it was based on. The check itself belongs in the write's SQL
 * (a WHERE on version, or under the row lock): see `matchesVersion`.
 */

/** What an `If-Match` header asks for: absent (last write wins), `*` (any), or versions. */
export type IfMatchCondition = undefined | '*' | number[];

export const etagOf = (version: number): string => `"${version}"`;

const STRONG_TAG = /^"(\d{1,9})"$|^(\d{1,9})$/;

/**
 * RFC 9110 If-Match: a list of entity tags or `*`. Weak tags (`W/"3"`) never match (If-Match
 * uses the strong comparison). A bare number is accepted for convenience. Anything else is a 400.
 */
export function parseIfMatch(header: string | string[] | undefined): IfMatchCondition {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (raw === undefined) {
    return undefined;
  }
  const tags = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tags.length === 1 && tags[0] === '*') {
    return '*';
  }
  const versions: number[] = [];
  for (const tag of tags) {
    const strong = STRONG_TAG.exec(tag);
    if (strong) {
      versions.push(Number(strong[1] ?? strong[2]));
    } else if (!/^W\/"[^"]*"$/.test(tag)) {
      throw new ValidationFailedError([
        { field: 'If-Match', message: 'If-Match must be * or entity tags such as "3"' },
      ]);
    }
  }
  if (tags.length === 0) {
    throw new ValidationFailedError([{ field: 'If-Match', message: 'If-Match is empty' }]);
  }
  return versions;
}

/** True when a resource at `version` satisfies the condition. */
export function matchesVersion(condition: IfMatchCondition, version: number): boolean {
  return condition === undefined || condition === '*' || condition.includes(version);
}

/** The versions for SQL (`$n::int[] IS NULL OR version = ANY($n)`): null means any. */
export function versionsParam(condition: IfMatchCondition): number[] | null {
  return condition === undefined || condition === '*' ? null : condition;
}

/** 412: the resource changed since the client read it; nothing was written. */
export class VersionMismatchError extends AppError {
  constructor(resource: string, currentVersion: number) {
    super(
      'PRECONDITION_FAILED',
      `The ${resource} has changed: its current version is ${currentVersion}; re-read it and retry`,
      [{ field: 'If-Match', message: `current version is ${currentVersion}` }],
      { currentVersion },
    );
  }
}

/**
 * Throws the 412 unless the resource at `version` satisfies the condition. Call it with the row
 * locked (SELECT … FOR UPDATE), so no other write can slip between this check and the write.
 */
export function assertVersionMatches(
  condition: IfMatchCondition,
  resource: string,
  version: number,
): void {
  if (!matchesVersion(condition, version)) {
    throw new VersionMismatchError(resource, version);
  }
}

/** The parsed `If-Match` header of the request (400 when malformed). */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): IfMatchCondition =>
  parseIfMatch(ctx.switchToHttp().getRequest<AppRequest>().headers['if-match']),
);

/** Swagger for a write that honours If-Match. */
export const ApiIfMatch = (resource: string): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: `The ${resource}'s ETag as read (e.g. "3"): the write happens only if the ${resource} is still at that version, else 412 with currentVersion. Without it the last write wins.`,
    schema: { type: 'string', example: '"3"' },
  });

/** Swagger for the `version` field of a versioned resource. */
export const ApiVersionProperty = (): PropertyDecorator =>
  ApiProperty({
    example: 3,
    minimum: 1,
    description:
      'Bumped by every definition change; sent as the `ETag` ("3") and checked against `If-Match`',
  });

/** Swagger description of the ETag response header. */
export const ETAG_HEADER = {
  ETag: {
    description: 'Strong entity tag: the version, quoted ("3"); send it back as If-Match',
    schema: { type: 'string', example: '"3"' },
  },
};

const ETAG_OF = 'http:etag-of';

/** Where a handler's result keeps the version the ETag header carries. */
export type VersionOf = (data: unknown) => number | undefined;

/** A resource answered as itself: its own `version` field. */
const ownVersion: VersionOf = (data) => (data as { version?: number } | null)?.version;

@Injectable()
export class ETagInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const versionOf = this.reflector.get<VersionOf | undefined>(ETAG_OF, context.getHandler());
    const res = context.switchToHttp().getResponse<Response>();
    // The tag names the resource's version, while a body may carry more (a job's latest runs):
    // Express would answer a matching If-None-Match with a 304 hiding those. No conditional GET.
    delete context.switchToHttp().getRequest<AppRequest>().headers['if-none-match'];
    return next.handle().pipe(
      map((data: unknown) => {
        const version = versionOf?.(data);
        if (typeof version === 'number' && !res.headersSent) {
          res.setHeader('ETag', etagOf(version));
        }
        return data;
      }),
    );
  }
}

/**
 * Sets `ETag: "<version>"` on the response, the version read from the handler's result (by
 * default its own `version`).
 */
export const SendsETag = (versionOf: VersionOf = ownVersion): MethodDecorator =>
  applyDecorators(SetMetadata(ETAG_OF, versionOf), UseInterceptors(ETagInterceptor));
