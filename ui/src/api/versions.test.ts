import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { ifMatch, versionConflict } from './versions';

const precondition = (body: object) =>
  new ApiError(412, {
    success: false,
    error: 'Precondition Failed',
    message: 'The job has changed: its current version is 7; re-read it and retry',
    ...body,
  });

describe('ifMatch', () => {
  it('quotes the version as a strong entity tag', () => {
    expect(ifMatch(3)).toEqual({ 'If-Match': '"3"' });
  });

  it('sends no header when the version is unknown (a create)', () => {
    expect(ifMatch(undefined)).toEqual({});
  });
});

describe('versionConflict', () => {
  it("reads a 412's currentVersion", () => {
    expect(versionConflict(precondition({ currentVersion: 7 }))).toEqual({ currentVersion: 7 });
  });

  it('still recognises a 412 whose body lacks the version', () => {
    expect(versionConflict(precondition({}))).toEqual({ currentVersion: null });
    expect(versionConflict(new ApiError(412, undefined))).toEqual({ currentVersion: null });
  });

  it('is null for any other error', () => {
    expect(versionConflict(new ApiError(409, undefined))).toBeNull();
    expect(versionConflict(new ApiError(400, undefined))).toBeNull();
    expect(versionConflict(new Error('network down'))).toBeNull();
    expect(versionConflict(undefined)).toBeNull();
  });
});
