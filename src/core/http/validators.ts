import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidateIf, registerDecorator, type ValidationOptions } from 'class-validator';
import { ValidationFailedError } from '../errors/app-error.js';
import { jsonDepth } from './json-limits.js';
import { isValidTimeZone } from '../time/zone.js';

/**
 * Composed validation rules used by several DTOs, so each rule has one definition and one message.
 */

/** A one-off rule: `validate` returns why the value is bad (completing "<field> ..."), or null. */
export function rule(
  name: string,
  validate: (value: unknown) => string | null,
  options?: ValidationOptions,
): PropertyDecorator {
  // class-validator asks for the message after validate(); keep the last reason per property.
  const reasons = new WeakMap<object, string>();
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown, args): boolean {
          const problem = validate(value);
          if (problem) {
            reasons.set(args?.object ?? {}, problem);
          }
          return problem === null;
        },
        defaultMessage(args): string {
          const reason = (args && reasons.get(args.object)) ?? 'is invalid';
          return `${args?.property ?? 'value'} ${reason}`;
        },
      },
    });
  };
}

/** Present-but-null is validated (and so rejected by the type rule); only absence skips. */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_o, v) => v !== undefined);

/**
 * PostgreSQL text and jsonb cannot hold U+0000; without this check such input would reach the
 * database and fail there as a 500 instead of a 400.
 */
export const IsNulFree = (options?: ValidationOptions): PropertyDecorator =>
  rule(
    'isNulFree',
    (v) => (typeof v === 'string' && v.includes('\0') ? 'must not contain NUL characters' : null),
    options,
  );

export const IsTimeZone = (options?: ValidationOptions): PropertyDecorator =>
  rule(
    'isTimeZone',
    (v) =>
      typeof v === 'string' && isValidTimeZone(v)
        ? null
        : 'must be an IANA time zone such as Europe/Berlin',
    options,
  );

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('\0');
  }
  if (value === null || typeof value !== 'object') {
    return false;
  }
  return Object.entries(value).some(([k, v]) => k.includes('\0') || hasNul(v));
}

export function jsonProblem(value: unknown, maxBytes: number, maxDepth: number): string | null {
  // Depth first: its walk is bounded, while stringify and hasNul recurse over the whole value.
  if (jsonDepth(value) > maxDepth) {
    return `must be nested at most ${maxDepth} levels deep`;
  }
  if (Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') > maxBytes) {
    return `must be at most ${maxBytes} bytes as JSON`;
  }
  if (hasNul(value)) {
    return 'must not contain NUL characters';
  }
  return null;
}

/** A JSON object (not an array or scalar), bounded in serialized size and nesting depth. */
export const IsJsonObject = (
  limits: { maxBytes: number; maxDepth: number },
  options?: ValidationOptions,
): PropertyDecorator =>
  rule(
    'isJsonObject',
    (v) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? jsonProblem(v, limits.maxBytes, limits.maxDepth)
        : 'must be a JSON object',
    options,
  );

/** Any JSON value, bounded like IsJsonObject. */
export const IsBoundedJson = (
  limits: { maxBytes: number; maxDepth: number },
  options?: ValidationOptions,
): PropertyDecorator =>
  rule('isBoundedJson', (v) => jsonProblem(v, limits.maxBytes, limits.maxDepth), options);

/** Cloud instance metadata endpoints: a job must never be able to read credentials from them. */
const METADATA_HOSTS = new Set([
  '169.254.169.254',
  '[fd00:ec2::254]',
  'metadata.google.internal',
  'metadata',
  '100.100.100.200',
]);

export function httpUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    return 'must be an http(s) URL of at most 2048 characters';
  }
  if (value.includes('\0')) {
    return 'must not contain NUL characters';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a valid absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must use http or https';
  }
  if (url.username || url.password) {
    return 'must not contain credentials (use headers)';
  }
  if (METADATA_HOSTS.has(url.hostname.toLowerCase().replace(/\.$/, ''))) {
    return 'must not point at a cloud metadata address';
  }
  return null;
}

export const IsHttpTargetUrl = (options?: ValidationOptions): PropertyDecorator =>
  rule('isHttpTargetUrl', httpUrlProblem, options);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

export function headersProblem(value: unknown, maxCount: number, maxValue: number): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'must be an object of header name to string value';
  }
  const entries = Object.entries(value);
  if (entries.length > maxCount) {
    return `must have at most ${maxCount} headers`;
  }
  for (const [name, v] of entries) {
    if (!HEADER_NAME.test(name)) {
      return `has an invalid header name "${name.slice(0, 64)}"`;
    }
    if (typeof v !== 'string' || v.length > maxValue || /[\r\n\0]/.test(v)) {
      return `value of "${name}" must be a single-line string of at most ${maxValue} characters`;
    }
  }
  return null;
}

export const IsHeaderMap = (
  limits: { maxCount: number; maxValueLength: number },
  options?: ValidationOptions,
): PropertyDecorator =>
  rule('isHeaderMap', (v) => headersProblem(v, limits.maxCount, limits.maxValueLength), options);

/** A UUID route parameter; anything else is a 400 in the validation envelope, before any query. */
export const UuidParam = (name = 'id'): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new ValidationFailedError([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
