import { ApiError } from './client';

/**
 * Optimistic concurrency (design 7.5): a job, calendar or channel carries an integer `version`,
 * its ETag is `"<version>"`, and a PUT or DELETE with `If-Match` answers 412 (writing nothing)
 * when the resource has changed since. These two helpers are all the console needs of it.
 */

/** The `header` params of a write based on `version`; none (last write wins) when unknown. */
export function ifMatch(version: number | undefined): { 'If-Match'?: string } {
  return version === undefined ? {} : { 'If-Match': `"${version}"` };
}

/**
 * A 412 from a write based on an older version: the version the resource is at now (from the
 * body's `currentVersion`; null if the body lacks it). Null for any other error.
 */
export function versionConflict(e: unknown): { currentVersion: number | null } | null {
  if (!(e instanceof ApiError) || e.status !== 412) {
    return null;
  }
  const current = e.body?.currentVersion;
  return { currentVersion: typeof current === 'number' ? current : null };
}
